package io.hybridstore.erasure;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Intel ISA-L ({@code libisal.so.2}, Debian's libisal2) called through the FFM API, so no JNI glue has to be built
 * or shipped. ISA-L takes arrays of shard pointers, which only native memory can fill; heap shards instead go through
 * {@code gf_vect_mad} one input at a time, passed as heap addresses to a critical downcall, which costs an extra read
 * of each output chunk but no copy of the shards.
 */
final class IsalKernel implements GfKernel {

    private static final String SONAME = "libisal.so.2";
    /** Output chunks stay in L1/L2 while every input is added into them. */
    private static final int CHUNK = 16 * 1024;
    /** ISA-L's vector routines reject shorter buffers; the scalar kernel covers them. */
    private static final int MIN_VECTOR_LENGTH = 64;
    private static final FunctionDescriptor SIX_ARGS = FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS);

    private final String description;
    private final MethodHandle initTables;
    private final MethodHandle encodeData;
    private final MethodHandle vectMad;

    private IsalKernel(String description, SymbolLookup library) {
        Linker linker = Linker.nativeLinker();
        this.description = description;
        this.initTables = linker.downcallHandle(symbol(library, "ec_init_tables"), FunctionDescriptor.ofVoid(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        this.encodeData = linker.downcallHandle(symbol(library, "ec_encode_data"), SIX_ARGS);
        this.vectMad = linker.downcallHandle(symbol(library, "gf_vect_mad"), SIX_ARGS, Linker.Option.critical(true));
    }

    /** Empty when the library is not installed; Debian's multiarch directory first, then the loader's search path. */
    static Optional<IsalKernel> load() {
        List<String> failures = new ArrayList<>();
        for (Path candidate : candidatePaths()) {
            if (Files.exists(candidate)) {
                try {
                    return Optional.of(new IsalKernel("native ISA-L (" + realName(candidate) + ")",
                            SymbolLookup.libraryLookup(candidate, Arena.global())));
                } catch (IllegalArgumentException e) {
                    failures.add(candidate + ": " + e.getMessage());
                }
            }
        }
        try {
            return Optional.of(new IsalKernel("native ISA-L (" + SONAME + ")",
                    SymbolLookup.libraryLookup(SONAME, Arena.global())));
        } catch (IllegalArgumentException e) {
            failures.add(SONAME + ": " + e.getMessage());
            System.getLogger(IsalKernel.class.getName()).log(System.Logger.Level.DEBUG,
                    "ISA-L not loadable: " + failures);
            return Optional.empty();
        }
    }

    private static List<Path> candidatePaths() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> List.of(Path.of("/usr/lib/x86_64-linux-gnu", SONAME));
            case "aarch64" -> List.of(Path.of("/usr/lib/aarch64-linux-gnu", SONAME));
            default -> List.of();
        };
    }

    /** The versioned file name (e.g. libisal.so.2.0.30) tells an operator which release is loaded. */
    private static String realName(Path library) {
        try {
            return library.toRealPath().getFileName().toString();
        } catch (IOException e) {
            return library.getFileName().toString();
        }
    }

    private static MemorySegment symbol(SymbolLookup library, String name) {
        return library.find(name).orElseThrow(() -> new IllegalArgumentException("ISA-L lacks " + name));
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public ShardMultiplier compile(byte[] matrix, int rows, int cols) {
        byte[] coefficients = matrix.clone();
        MemorySegment tables = Arena.ofAuto().allocate(32L * rows * cols, 64);
        try (Arena arena = Arena.ofConfined()) {
            initTables.invokeExact(cols, rows, arena.allocateFrom(ValueLayout.JAVA_BYTE, coefficients), tables);
        } catch (Throwable e) {
            throw new IllegalStateException("ec_init_tables failed", e);
        }
        return (inputs, outputs, length) -> {
            if (length < MIN_VECTOR_LENGTH) {
                ScalarKernel.multiply(coefficients, rows, cols, inputs, outputs, 0, length);
            } else if (allNative(inputs) && allNative(outputs)) {
                encode(tables, rows, cols, inputs, outputs, length);
            } else {
                multiplyAdd(tables, rows, cols, inputs, outputs, length);
            }
        };
    }

    private void encode(MemorySegment tables, int rows, int cols, MemorySegment[] inputs, MemorySegment[] outputs,
                        int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sources = pointers(arena, inputs);
            MemorySegment destinations = pointers(arena, outputs);
            encodeData.invokeExact(length, cols, rows, tables, sources, destinations);
        } catch (Throwable e) {
            throw new IllegalStateException("ec_encode_data failed", e);
        }
    }

    private void multiplyAdd(MemorySegment tables, int rows, int cols, MemorySegment[] inputs,
                             MemorySegment[] outputs, int length) {
        int position = 0;
        while (position < length) {
            int chunk = Math.min(CHUNK, length - position);
            if (length - position - chunk < MIN_VECTOR_LENGTH) {
                chunk = length - position;
            }
            for (int r = 0; r < rows; r++) {
                MemorySegment out = outputs[r].asSlice(position, chunk);
                MemorySegment rowTables = tables.asSlice(32L * r * cols);
                out.fill((byte) 0);
                for (int c = 0; c < cols; c++) {
                    try {
                        vectMad.invokeExact(chunk, cols, c, rowTables, inputs[c].asSlice(position, chunk), out);
                    } catch (Throwable e) {
                        throw new IllegalStateException("gf_vect_mad failed", e);
                    }
                }
            }
            position += chunk;
        }
    }

    private static boolean allNative(MemorySegment[] segments) {
        for (MemorySegment segment : segments) {
            if (!segment.isNative()) {
                return false;
            }
        }
        return true;
    }

    private static MemorySegment pointers(Arena arena, MemorySegment[] segments) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, segments.length);
        for (int i = 0; i < segments.length; i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, segments[i]);
        }
        return array;
    }
}
