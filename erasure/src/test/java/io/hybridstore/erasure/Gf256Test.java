package io.hybridstore.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Gf256Test {

    @Test
    void additionAndMultiplicationAreCommutativeAndHaveIdentities() {
        for (int a = 0; a < 256; a++) {
            assertThat(Gf256.add(a, 0)).isEqualTo(a);
            assertThat(Gf256.add(a, a)).isZero();
            assertThat(Gf256.mul(a, 1)).isEqualTo(a);
            assertThat(Gf256.mul(a, 0)).isZero();
            for (int b = 0; b < 256; b++) {
                assertThat(Gf256.mul(a, b)).isEqualTo(Gf256.mul(b, a));
            }
        }
    }

    @Test
    void multiplicationIsAssociativeAndDistributesOverAdditionForAllTriples() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                int ab = Gf256.mul(a, b);
                for (int c = 0; c < 256; c++) {
                    if (Gf256.mul(ab, c) != Gf256.mul(a, Gf256.mul(b, c))
                            || Gf256.mul(a, b ^ c) != (ab ^ Gf256.mul(a, c))) {
                        throw new AssertionError("field law fails for " + a + ", " + b + ", " + c);
                    }
                }
            }
        }
    }

    @Test
    void everyNonZeroElementHasAUniqueInverseAndThereAreNoZeroDivisors() {
        for (int a = 1; a < 256; a++) {
            assertThat(Gf256.mul(a, Gf256.inv(a))).isEqualTo(1);
            assertThat(Gf256.div(Gf256.mul(a, 0x53), a)).isEqualTo(0x53);
            for (int b = 1; b < 256; b++) {
                assertThat(Gf256.mul(a, b)).isNotZero();
            }
        }
        assertThatThrownBy(() -> Gf256.inv(0)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void usesPolynomial0x11dWithGenerator2() {
        assertThat(Gf256.mul(0x80, 2)).isEqualTo(0x1D);
        int x = 1;
        for (int i = 1; i < 255; i++) {
            x = Gf256.mul(x, 2);
            assertThat(x).as("2^%d", i).isNotEqualTo(1);
        }
        assertThat(Gf256.mul(x, 2)).isEqualTo(1);
    }

    @Test
    void nibbleTablesReproduceEveryProduct() {
        byte[] tables = new byte[64];
        for (int c = 0; c < 256; c++) {
            Gf256.nibbleTables(c, tables, 0, 32, 2);
            for (int b = 0; b < 256; b++) {
                int copy = 16 * (b & 1);
                assertThat((tables[copy + (b & 15)] ^ tables[32 + copy + (b >>> 4)]) & 0xFF)
                        .isEqualTo(Gf256.mul(c, b));
            }
        }
    }
}
