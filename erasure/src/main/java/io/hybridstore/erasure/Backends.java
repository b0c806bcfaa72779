package io.hybridstore.erasure;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Loads each backend at most once, on first use, and self-tests it before handing it out. Holder classes keep a
 * missing Vector API module or native library from being touched until that backend is asked for.
 */
final class Backends {

    static final String PROPERTY = "hybridstore.erasure.backend";
    private static final System.Logger LOG = System.getLogger(ReedSolomon.class.getName());

    private Backends() {
    }

    static boolean isAvailable(Backend backend) {
        return loaded(backend).kernel != null;
    }

    static Backend preferred() {
        if (Preferred.FAILURE instanceof CodecSelfTestException selfTest) {
            throw new CodecSelfTestException(selfTest.getMessage());
        }
        if (Preferred.FAILURE != null) {
            throw new BackendUnavailableException("no usable Reed-Solomon backend", Preferred.FAILURE);
        }
        return Preferred.BACKEND;
    }

    /** @throws BackendUnavailableException if it cannot load; {@link CodecSelfTestException} if it computes wrongly */
    static GfKernel kernel(Backend backend) {
        Loaded loaded = loaded(backend);
        if (loaded.kernel != null) {
            return loaded.kernel;
        }
        if (loaded.failure instanceof CodecSelfTestException selfTest) {
            throw new CodecSelfTestException(selfTest.getMessage());
        }
        throw new BackendUnavailableException("Reed-Solomon backend " + backend + " is unavailable", loaded.failure);
    }

    private static Loaded loaded(Backend backend) {
        return switch (backend) {
            case NATIVE -> NativeHolder.LOADED;
            case VECTOR -> VectorHolder.LOADED;
            case SCALAR -> ScalarHolder.LOADED;
        };
    }

    private static Loaded load(Supplier<Optional<GfKernel>> factory) {
        GfKernel kernel;
        try {
            kernel = factory.get().orElse(null);
        } catch (LinkageError | IllegalCallerException | IllegalArgumentException | UnsupportedOperationException e) {
            // NoClassDefFoundError: jdk.incubator.vector not added; IllegalCallerException: native access denied;
            // IllegalArgumentException: a symbol missing from the library; Unsupported...: no such vector shape.
            return new Loaded(null, e);
        }
        if (kernel == null) {
            return new Loaded(null, null);
        }
        try {
            SelfTest.check(kernel);
            return new Loaded(kernel, null);
        } catch (CodecSelfTestException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
            return new Loaded(null, e);
        }
    }

    private record Loaded(GfKernel kernel, Throwable failure) {
    }

    private static final class NativeHolder {
        static final Loaded LOADED = load(() -> IsalKernel.load().map(GfKernel.class::cast));
    }

    private static final class VectorHolder {
        static final Loaded LOADED = warming(load(() -> Optional.of(new VectorKernel())));

        /** The self-test checked the vector loops themselves; callers get them once they are compiled. */
        private static Loaded warming(Loaded loaded) {
            return loaded.kernel instanceof VectorKernel vector
                    ? new Loaded(new WarmingVectorKernel(vector), null) : loaded;
        }
    }

    private static final class ScalarHolder {
        static final Loaded LOADED = load(() -> Optional.of(new ScalarKernel()));
    }

    /**
     * A forced backend that cannot run is an error rather than a silent fallback; so is a failed self-test of the
     * fastest loadable backend, because it means this machine computes wrong parity, not that it lacks a feature.
     * The outcome is kept, failure included, so every caller sees the same answer.
     */
    private static final class Preferred {
        static final Backend BACKEND;
        static final RuntimeException FAILURE;

        static {
            Backend backend = null;
            RuntimeException failure = null;
            try {
                backend = choose();
            } catch (ErasureException | IllegalArgumentException e) {
                failure = e;
            }
            BACKEND = backend;
            FAILURE = failure;
        }

        private static Backend choose() {
            String forced = System.getProperty(PROPERTY);
            Backend chosen = Backend.SCALAR;
            if (forced != null && !forced.isBlank()) {
                chosen = Backend.valueOf(forced.trim().toUpperCase(Locale.ROOT));
            } else {
                for (Backend candidate : Backend.values()) {
                    Loaded loaded = loaded(candidate);
                    if (loaded.kernel != null || loaded.failure instanceof CodecSelfTestException) {
                        chosen = candidate;
                        break;
                    }
                }
            }
            GfKernel kernel = kernel(chosen);
            LOG.log(System.Logger.Level.INFO, "Reed-Solomon backend: " + kernel.description()
                    + (forced != null ? " (forced by -D" + PROPERTY + ")" : ""));
            return chosen;
        }
    }
}
