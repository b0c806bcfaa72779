package io.hybridstore.common.json;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The one JSON parser configuration of HybridStore, shared by the gateway's check of a body and by the slicer that
 * later cuts the stored bytes into fields ({@link JsonFields}): whatever the check accepts, the slicer can read.
 *
 * <p>Bodies are UTF-8 only and strictly so (RFC 3629): no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF, no byte order mark and no NUL byte. Jackson itself would accept a UTF-16 or UTF-32 body (it guesses the
 * encoding from NUL bytes and byte order marks) and does not check the bytes inside strings it only skips; a raw
 * NUL can never occur in UTF-8 JSON, so refusing it also rules out every encoding Jackson would guess.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /**
     * A parser factory that refuses duplicate keys and nesting deeper than {@code maxDepth}; names, strings and
     * numbers may be as long as the document, which is at most {@code maxDocumentBytes}.
     */
    public static JsonFactory factory(int maxDepth, long maxDocumentBytes) {
        int maxLength = (int) Math.min(Integer.MAX_VALUE, maxDocumentBytes);
        return JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength(maxLength)
                        .maxNumberLength(maxLength)
                        .maxNameLength(maxLength)
                        .maxDocumentLength(maxDocumentBytes)
                        .build())
                .build();
    }

    /** Throws {@link InvalidUtf8Exception} unless {@code bytes} are strict UTF-8 as described above. */
    public static void requireUtf8(byte[] bytes) {
        Utf8Validator validator = new Utf8Validator();
        validator.feed(bytes, 0, bytes.length);
        validator.end();
    }

    /** {@code in}, failing a read with {@link InvalidUtf8Exception} as soon as its bytes stop being strict UTF-8. */
    public static InputStream requireUtf8(InputStream in) {
        return new FilterInputStream(in) {
            private final Utf8Validator validator = new Utf8Validator();

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n < 0) {
                    validator.end();
                } else {
                    validator.feed(buffer, offset, n);
                }
                return n;
            }
        };
    }

    /** Not strict UTF-8 JSON text; {@code position} is the offending byte's offset. */
    public static final class InvalidUtf8Exception extends RuntimeException {
        public InvalidUtf8Exception(String detail, long position) {
            super(detail + " at byte " + position);
        }
    }

    /** RFC 3629's table of well-formed byte sequences, one byte at a time. */
    private static final class Utf8Validator {

        private long position;
        private int continuations;
        private int low = 0x80;
        private int high = 0xBF;
        private int bomBytes;

        void feed(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++, position++) {
                int b = bytes[i] & 0xFF;
                if (position < 3 && b == (position == 0 ? 0xEF : position == 1 ? 0xBB : 0xBF) && bomBytes == position) {
                    bomBytes++;
                    if (bomBytes == 3) {
                        throw new InvalidUtf8Exception("the body starts with a byte order mark; send UTF-8 without one",
                                0);
                    }
                }
                if (continuations > 0) {
                    if (b < low || b > high) {
                        throw new InvalidUtf8Exception("the body is not valid UTF-8", position);
                    }
                    continuations--;
                    low = 0x80;
                    high = 0xBF;
                } else if (b == 0) {
                    throw new InvalidUtf8Exception("the body holds a NUL byte; it must be UTF-8 JSON (not UTF-16/32)",
                            position);
                } else if (b >= 0x80) {
                    lead(b);
                }
            }
        }

        private void lead(int b) {
            if (b >= 0xC2 && b <= 0xDF) {
                continuations = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                continuations = 2;
                low = b == 0xE0 ? 0xA0 : 0x80;
                high = b == 0xED ? 0x9F : 0xBF;
            } else if (b >= 0xF0 && b <= 0xF4) {
                continuations = 3;
                low = b == 0xF0 ? 0x90 : 0x80;
                high = b == 0xF4 ? 0x8F : 0xBF;
            } else {
                throw new InvalidUtf8Exception("the body is not valid UTF-8", position);
            }
        }

        void end() {
            if (continuations > 0) {
                throw new InvalidUtf8Exception("the body ends inside a UTF-8 sequence", position);
            }
        }
    }
}
