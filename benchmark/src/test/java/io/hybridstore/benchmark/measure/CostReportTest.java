package io.hybridstore.benchmark.measure;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots of a fake /proc, a fake etcd and a fake access log, before and after a run, into the report's tables. */
class CostReportTest {

    @TempDir
    Path dir;

    @Test
    void perOperationCpuAndHopCountsFromTwoSnapshots() throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("groups"), "100 gateway\n300 nginx\n");
        AtomicReference<String> etcdMetrics = new AtomicReference<>(etcd(1000, 40));
        HttpServer etcd = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        etcd.createContext("/metrics", exchange -> {
            byte[] body = etcdMetrics.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        etcd.start();
        try {
            Files.writeString(dir.resolve("targets"), "etcd http://127.0.0.1:" + etcd.getAddress().getPort() + "\n");
            Snapshot snapshot = new Snapshot(proc, dir.resolve("groups"), dir.resolve("targets"), logs);

            FakeProc.process(proc, 100, "java", 100, 1000, 200);
            FakeProc.process(proc, 300, "nginx", 300, 10, 10);
            Files.writeString(logs.resolve("nginx-1.access.log"), "GET /\n".repeat(5));
            snapshot.writeTo(dir.resolve("run.before"));

            FakeProc.process(proc, 100, "java", 100, 1200, 250);
            FakeProc.process(proc, 300, "nginx", 300, 20, 20);
            FakeProc.process(proc, 301, "nginx", 300, 30, 0);
            Files.writeString(logs.resolve("nginx-1.access.log"), "GET /\n".repeat(105));
            etcdMetrics.set(etcd(1300, 90));
            snapshot.writeTo(dir.resolve("run.after"));
        } finally {
            etcd.stop(0);
        }
        Files.writeString(dir.resolve("runs.tsv"), "workload A\trun.before\trun.after\t100\n");

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        new CostReport(dir.resolve("runs.tsv"), 100).print(new PrintStream(text, true, StandardCharsets.UTF_8));

        // gateway: 200 user + 50 system ticks of 10 ms over 100 operations; nginx: 40 + 10 ticks, its new worker too.
        assertThat(text.toString(StandardCharsets.UTF_8)).contains(
                "| run | operations | gateway | nginx | total | cores used |",
                "| workload A | 100 | 20.00 + 5.00 | 4.00 + 1.00 | 24.00 + 6.00 = 30.00 | ",
                "| workload A | 1.00 | not measured | 3.00 | 0.00 | 0.50 | not measured | not measured | not measured | not measured |");
    }

    @Test
    void coresUsedAreTheClustersCpuTimeOverTheRunsWallTime() throws Exception {
        Files.writeString(dir.resolve("a.before"), "wall.millis 1000\ncpu.gateway.user 0\ncpu.gateway.system 0\n");
        Files.writeString(dir.resolve("a.after"), "wall.millis 3000\ncpu.gateway.user 300\ncpu.gateway.system 100\n");
        Files.writeString(dir.resolve("runs.tsv"), "k6 update ec 10 KiB\ta.before\ta.after\t40\n");

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        new CostReport(dir.resolve("runs.tsv"), 100).print(new PrintStream(text, true, StandardCharsets.UTF_8));

        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("| k6 update ec 10 KiB | 40 | 75.00 + 25.00 | 75.00 + 25.00 = 100.00 | 2.00 |");
    }

    private static String etcd(long grpcCalls, long fsyncs) {
        return """
                # HELP grpc_server_handled_total Total number of RPCs completed on the server.
                # TYPE grpc_server_handled_total counter
                grpc_server_handled_total{grpc_code="OK",grpc_method="Range",grpc_service="etcdserverpb.KV",grpc_type="unary"} %d
                grpc_server_handled_total{grpc_code="OK",grpc_method="Txn",grpc_service="etcdserverpb.KV",grpc_type="unary"} %d
                etcd_disk_wal_fsync_duration_seconds_bucket{le="0.001"} 3
                etcd_disk_wal_fsync_duration_seconds_count %d
                etcd_server_proposals_committed_total 77
                """.formatted(grpcCalls / 2, grpcCalls / 2, fsyncs);
    }
}
