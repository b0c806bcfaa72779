package io.hybridstore.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GfMatrixTest {

    @Test
    void cauchyMatrixIsIdentityOverInverseOfRowXorColumn() {
        byte[] matrix = GfMatrix.cauchyEncoding(4, 2);
        assertThat(matrix).startsWith(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
        for (int i = 4; i < 6; i++) {
            for (int j = 0; j < 4; j++) {
                assertThat(Gf256.mul(matrix[i * 4 + j], i ^ j)).isEqualTo(1);
            }
        }
    }

    @Test
    void inverseTimesMatrixIsIdentity() {
        Random random = new Random(7);
        int n = 10;
        byte[] cauchy = GfMatrix.cauchyEncoding(n, n);
        for (int trial = 0; trial < 50; trial++) {
            int[] rows = random.ints(0, 2 * n).distinct().limit(n).toArray();
            byte[] square = GfMatrix.selectRows(cauchy, n, rows);
            byte[] product = GfMatrix.multiply(square, n, GfMatrix.invert(square, n), n, n);
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    assertThat(product[r * n + c]).isEqualTo((byte) (r == c ? 1 : 0));
                }
            }
        }
    }
}
