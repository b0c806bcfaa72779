package io.hybridstore.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ReedSolomonContractTest {

    @Test
    void createRejectsImpossibleShapesAndCachesInstances() {
        assertThatThrownBy(() -> ReedSolomon.create(0, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReedSolomon.create(4, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReedSolomon.create(200, 57)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ReedSolomon.create(4, 2)).isSameAs(ReedSolomon.create(4, 2));
        assertThat(ReedSolomon.create(4, 2).backend()).isEqualTo(Backend.preferred());
        assertThat(ReedSolomon.create(1, 255).totalShards()).isEqualTo(256);
    }

    @Test
    void reconstructWithMoreThanMLostShardsThrowsTooFewShards() {
        ReedSolomon rs = ReedSolomon.create(4, 2);
        byte[][] shards = new byte[6][10];
        rs.encode(shards);
        shards[0] = null;
        shards[2] = null;
        shards[5] = null;
        assertThatThrownBy(() -> rs.reconstruct(shards)).isInstanceOfSatisfying(TooFewShardsException.class,
                e -> assertThat(e.present()).isEqualTo(3));
        assertThatThrownBy(() -> rs.reconstruct(new byte[6][])).isInstanceOf(TooFewShardsException.class);
    }

    @Test
    void shardsOfDifferentSizesAreRejectedBeforeAnythingIsWritten() {
        ReedSolomon rs = ReedSolomon.create(4, 2);
        byte[][] shards = new byte[6][10];
        shards[3] = new byte[9];
        assertThatThrownBy(() -> rs.encode(shards)).isInstanceOfSatisfying(ShardSizeMismatchException.class,
                e -> assertThat(e.shard()).isEqualTo(3));
        ByteBuffer[] buffers = new ByteBuffer[6];
        for (int i = 0; i < 6; i++) {
            buffers[i] = ByteBuffer.allocate(i == 5 ? 8 : 16);
        }
        assertThatThrownBy(() -> rs.encode(buffers)).isInstanceOf(ShardSizeMismatchException.class);
        assertThatThrownBy(() -> rs.encode(new byte[5][10])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rs.encode(new byte[6][10], 4, 8)).isInstanceOf(ShardSizeMismatchException.class);
    }

    @Test
    void readOnlyParityBuffersAreRefused() {
        ReedSolomon rs = ReedSolomon.create(2, 1);
        ByteBuffer[] buffers = {ByteBuffer.allocate(4), ByteBuffer.allocate(4), ByteBuffer.allocate(4).asReadOnlyBuffer()};
        assertThatThrownBy(() -> rs.encode(buffers)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodeUsesBufferPositionsAndLeavesThemUnchanged() {
        ReedSolomon rs = ReedSolomon.create(2, 1);
        ByteBuffer[] buffers = new ByteBuffer[3];
        for (int i = 0; i < 3; i++) {
            buffers[i] = ByteBuffer.allocate(8).position(2).limit(6);
        }
        buffers[0].put(2, new byte[] {1, 2, 3, 4});
        buffers[1].put(2, new byte[] {1, 2, 3, 4});
        rs.encode(buffers);
        assertThat(buffers[2].position()).isEqualTo(2);
        assertThat(buffers[2].array()).startsWith(0, 0).endsWith(0, 0).isNotEqualTo(new byte[8]);
        assertThat(rs.verify(buffers)).isTrue();
    }

    @Test
    void splitPadsTheLastDataShardAndJoinNeedsTheDataShards() {
        ReedSolomon rs = ReedSolomon.create(3, 2);
        Stripe stripe = rs.split(new byte[] {1, 2, 3, 4, 5, 6, 7}, 0, 7);
        assertThat(stripe.dataLength()).isEqualTo(7);
        assertThat(stripe.shards()).hasNumberOfRows(5);
        assertThat(stripe.shards()[2]).containsExactly(7, 0, 0);
        assertThat(rs.join(stripe)).containsExactly(1, 2, 3, 4, 5, 6, 7);
        stripe.shards()[1] = null;
        assertThatThrownBy(() -> rs.join(stripe)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reconstructData");
    }

    @Test
    void codeWithoutParityEncodesAndVerifiesTrivially() {
        ReedSolomon rs = ReedSolomon.create(3, 0);
        byte[][] shards = rs.split(new byte[] {9, 8, 7, 6}).shards();
        rs.encode(shards);
        assertThat(rs.verify(shards)).isTrue();
        rs.reconstruct(shards);
        assertThat(rs.join(shards, 4)).containsExactly(9, 8, 7, 6);
    }

    @Test
    void everyAvailableBackendPassesTheSelfTest() {
        assertThat(Backend.SCALAR.isAvailable()).isTrue();
        for (Backend backend : TestShards.availableBackends()) {
            SelfTest.check(Backends.kernel(backend));
        }
    }
}
