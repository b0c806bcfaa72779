package io.hybridstore.benchmark.auth;

import io.hybridstore.common.auth.ClusterAuth;
import io.hybridstore.common.auth.ClusterSecrets;
import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.node.BlobWire;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What internal authentication costs per request, single-threaded, in microseconds: signing a blob frame as a
 * gateway does (the frame written to a discarding stream, so the figure is the framing plus the MAC), checking one
 * as a node does (header parsed, MAC recomputed), and signing an HTTP request's headers. The blob sizes are the
 * cluster's: a few hundred bytes for a hot part or manifest-sized value, a YCSB record, an ec shard of a large
 * object.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class ClusterAuthBenchmark {

    @Param({"256", "1024", "65536", "1048576"})
    public int bodySize;

    private final ClusterAuth auth = new ClusterAuth(ClusterSecrets.of("a-benchmark-cluster-secret-0123456789"),
            Duration.ofMinutes(5), Clock.systemUTC());
    private final BlobId id = new BlobId("v0123456789abcdef.cold.shard.3");
    private final DataOutputStream discard = new DataOutputStream(OutputStream.nullOutputStream());
    private byte[] body;
    private byte[] frame;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        body = new byte[bodySize];
        new Random(7).nextBytes(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BlobWire.writeRequest(new DataOutputStream(out), auth, BlobWire.Op.PUT, 0, id, 42, body);
        frame = out.toByteArray();
    }

    @Benchmark
    public DataOutputStream signBlobFrame() throws IOException {
        BlobWire.writeRequest(discard, auth, BlobWire.Op.PUT, 0, id, 42, body);
        return discard;
    }

    @Benchmark
    public BlobWire.RequestHeader verifyBlobFrame() throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame));
        BlobWire.RequestHeader header = BlobWire.readRequestHeader(in);
        header.verify(auth, body);
        return header;
    }

    @Benchmark
    public Map<String, String> signHttpRequest() {
        return auth.httpHeaders("POST", "/blobs/check", body);
    }
}
