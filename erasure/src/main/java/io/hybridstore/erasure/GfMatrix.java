package io.hybridstore.erasure;

/** Row-major byte matrices over GF(256), only as large as a coding matrix (at most 256 x 256). */
final class GfMatrix {

    private GfMatrix() {
    }

    /**
     * The systematic encoding matrix of ISA-L's {@code gf_gen_cauchy1_matrix}: identity on top, then parity row i
     * (k <= i < k + m) has {@code 1 / (i ^ j)} in data column j. Every k x k submatrix of a Cauchy-extended identity is
     * invertible, which is what lets any m shards go missing; i ^ j is never 0 because i >= k > j.
     */
    static byte[] cauchyEncoding(int k, int m) {
        byte[] matrix = new byte[(k + m) * k];
        for (int i = 0; i < k; i++) {
            matrix[i * k + i] = 1;
        }
        for (int i = k; i < k + m; i++) {
            for (int j = 0; j < k; j++) {
                matrix[i * k + j] = (byte) Gf256.inv(i ^ j);
            }
        }
        return matrix;
    }

    /** Rows {@code rows} of {@code matrix} (which has {@code cols} columns), in that order. */
    static byte[] selectRows(byte[] matrix, int cols, int[] rows) {
        byte[] selected = new byte[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(matrix, rows[r] * cols, selected, r * cols, cols);
        }
        return selected;
    }

    /** {@code a} (rowsA x n) times {@code b} (n x colsB). */
    static byte[] multiply(byte[] a, int rowsA, byte[] b, int n, int colsB) {
        byte[] product = new byte[rowsA * colsB];
        for (int r = 0; r < rowsA; r++) {
            for (int c = 0; c < colsB; c++) {
                int sum = 0;
                for (int i = 0; i < n; i++) {
                    sum ^= Gf256.mul(a[r * n + i], b[i * colsB + c]);
                }
                product[r * colsB + c] = (byte) sum;
            }
        }
        return product;
    }

    /** Gauss-Jordan inverse of the n x n matrix {@code a}; {@code a} is left untouched. */
    static byte[] invert(byte[] a, int n) {
        byte[] work = a.clone();
        byte[] inverse = new byte[n * n];
        for (int i = 0; i < n; i++) {
            inverse[i * n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            while (pivot < n && work[pivot * n + col] == 0) {
                pivot++;
            }
            if (pivot == n) {
                throw new ArithmeticException("singular matrix");
            }
            swapRows(work, n, col, pivot);
            swapRows(inverse, n, col, pivot);
            int scale = Gf256.inv(work[col * n + col] & 0xFF);
            scaleRow(work, n, col, scale);
            scaleRow(inverse, n, col, scale);
            for (int row = 0; row < n; row++) {
                int factor = work[row * n + col] & 0xFF;
                if (row != col && factor != 0) {
                    addScaledRow(work, n, row, col, factor);
                    addScaledRow(inverse, n, row, col, factor);
                }
            }
        }
        return inverse;
    }

    private static void swapRows(byte[] m, int n, int a, int b) {
        if (a == b) {
            return;
        }
        for (int c = 0; c < n; c++) {
            byte t = m[a * n + c];
            m[a * n + c] = m[b * n + c];
            m[b * n + c] = t;
        }
    }

    private static void scaleRow(byte[] m, int n, int row, int scale) {
        for (int c = 0; c < n; c++) {
            m[row * n + c] = (byte) Gf256.mul(m[row * n + c], scale);
        }
    }

    private static void addScaledRow(byte[] m, int n, int target, int source, int factor) {
        for (int c = 0; c < n; c++) {
            m[target * n + c] ^= (byte) Gf256.mul(m[source * n + c], factor);
        }
    }
}
