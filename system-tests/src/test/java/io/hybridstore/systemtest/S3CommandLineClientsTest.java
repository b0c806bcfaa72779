package io.hybridstore.systemtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 clients people use, from Debian (scripts/test.sh installs them: aws-cli, s3cmd, rclone, boto3; curl), against
 * the S3 API through nginx: each copies a folder in, lists it, syncs a change, reads back and removes, as a user would.
 */
class S3CommandLineClientsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private final LocalCluster cluster = LocalCluster.get();
    private final String accessKey = cluster.s3Key().get(0);
    private final String secretKey = cluster.s3Key().get(1);
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    @TempDir
    Path dir;

    @Test
    void awsCliCopiesListsSyncsAndRemoves() throws Exception {
        String bucket = "aws-cli-" + run;
        Path source = folder("aws");
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", accessKey, "AWS_SECRET_ACCESS_KEY", secretKey,
                "AWS_DEFAULT_REGION", "us-east-1", "AWS_CONFIG_FILE", dir.resolve("aws-config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("aws-credentials").toString());
        List<String> aws = List.of(executable("aws"), "--endpoint-url", cluster.s3Url());

        run(env, aws, "s3", "mb", "s3://" + bucket);
        run(env, aws, "s3", "cp", source.resolve("big.bin").toString(), "s3://" + bucket + "/big.bin");
        run(env, aws, "s3", "sync", source.toString(), "s3://" + bucket + "/tree");
        String listing = run(env, aws, "s3", "ls", "--recursive", "s3://" + bucket);
        assertThat(listing).contains("big.bin", "tree/a.txt", "tree/sub/b.json", "tree/big.bin");

        Files.writeString(source.resolve("a.txt"), "changed");
        run(env, aws, "s3", "sync", source.toString(), "s3://" + bucket + "/tree");
        Path back = dir.resolve("aws-back");
        run(env, aws, "s3", "sync", "s3://" + bucket + "/tree", back.toString());
        assertSameFiles(source, back);

        // Above aws-cli's 8 MiB multipart threshold: uploaded in parts, completed into one object.
        byte[] huge = new byte[20 * 1024 * 1024 + 123];
        new Random(20).nextBytes(huge);
        Path hugeFile = Files.write(dir.resolve("huge.bin"), huge);
        run(env, aws, "s3", "cp", hugeFile.toString(), "s3://" + bucket + "/huge.bin");
        assertThat(run(env, aws, "s3api", "head-object", "--bucket", bucket, "--key", "huge.bin")).contains("-3\\\"");
        Path hugeBack = dir.resolve("huge-back.bin");
        run(env, aws, "s3", "cp", "s3://" + bucket + "/huge.bin", hugeBack.toString());
        assertThat(Files.readAllBytes(hugeBack)).isEqualTo(huge);

        run(env, aws, "s3", "rm", "--recursive", "s3://" + bucket);
        run(env, aws, "s3", "rb", "s3://" + bucket);
        assertThat(run(env, aws, "s3", "ls")).doesNotContain(bucket);
    }

    @Test
    void s3cmdPutsGetsListsSyncsAndDeletes() throws Exception {
        String bucket = "s3cmd-" + run;
        Path source = folder("s3cmd");
        String host = cluster.s3Url().replace("http://", "");
        Path config = dir.resolve("s3cfg");
        Files.writeString(config, String.join("\n", "[default]", "access_key = " + accessKey,
                "secret_key = " + secretKey, "host_base = " + host, "host_bucket = " + host, "use_https = False",
                "signature_v2 = False", "bucket_location = us-east-1", ""));
        List<String> s3cmd = List.of(executable("s3cmd"), "-c", config.toString());

        run(Map.of(), s3cmd, "mb", "s3://" + bucket);
        run(Map.of(), s3cmd, "put", source.resolve("a.txt").toString(), "s3://" + bucket + "/a.txt");
        Path got = dir.resolve("s3cmd-a.txt");
        run(Map.of(), s3cmd, "get", "s3://" + bucket + "/a.txt", got.toString());
        assertThat(Files.readString(got)).isEqualTo(Files.readString(source.resolve("a.txt")));
        run(Map.of(), s3cmd, "sync", source + "/", "s3://" + bucket + "/tree/");
        assertThat(run(Map.of(), s3cmd, "ls", "--recursive", "s3://" + bucket))
                .contains("/a.txt", "/tree/sub/b.json", "/tree/big.bin");
        run(Map.of(), s3cmd, "del", "--recursive", "--force", "s3://" + bucket);
        run(Map.of(), s3cmd, "rb", "s3://" + bucket);
    }

    @Test
    void rcloneCopiesSyncsAndChecks() throws Exception {
        String bucket = "rclone-" + run;
        Path source = folder("rclone");
        Map<String, String> env = Map.of("RCLONE_CONFIG_HS_TYPE", "s3", "RCLONE_CONFIG_HS_PROVIDER", "Other",
                "RCLONE_CONFIG_HS_ACCESS_KEY_ID", accessKey, "RCLONE_CONFIG_HS_SECRET_ACCESS_KEY", secretKey,
                "RCLONE_CONFIG_HS_ENDPOINT", cluster.s3Url(), "RCLONE_CONFIG_HS_FORCE_PATH_STYLE", "true",
                "RCLONE_CONFIG_HS_REGION", "us-east-1");
        List<String> rclone = List.of(executable("rclone"), "--config", dir.resolve("rclone.conf").toString());

        run(env, rclone, "mkdir", "hs:" + bucket);
        run(env, rclone, "copy", source.toString(), "hs:" + bucket + "/tree");
        run(env, rclone, "check", source.toString(), "hs:" + bucket + "/tree");
        Files.writeString(source.resolve("sub/b.json"), "{\"changed\":true}");
        Files.delete(source.resolve("a.txt"));
        run(env, rclone, "sync", source.toString(), "hs:" + bucket + "/tree");
        run(env, rclone, "check", source.toString(), "hs:" + bucket + "/tree");
        assertThat(run(env, rclone, "lsf", "-R", "hs:" + bucket + "/tree")).doesNotContain("a.txt").contains("sub/b.json");
        run(env, rclone, "purge", "hs:" + bucket);
    }

    /** boto3, as a Python program would use it: put, list, get, copy, presign, delete. */
    @Test
    void boto3PutsListsGetsCopiesPresignsAndDeletes() throws Exception {
        String bucket = "boto3-" + run;
        Path script = Files.writeString(dir.resolve("client.py"), String.join("\n",
                "import sys, urllib.request, boto3",
                "from botocore.config import Config",
                "endpoint, key, secret, bucket = sys.argv[1:5]",
                "s3 = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,",
                "                  region_name='us-east-1', config=Config(signature_version='s3v4', s3={'addressing_style': 'path'}))",
                "s3.create_bucket(Bucket=bucket)",
                "s3.put_object(Bucket=bucket, Key='docs/a.json', Body=b'{\"a\": 1}', ContentType='application/json',",
                "              Metadata={'owner': 'boto3'})",
                "s3.copy_object(Bucket=bucket, Key='docs/b.json', CopySource={'Bucket': bucket, 'Key': 'docs/a.json'})",
                "keys = [o['Key'] for o in s3.list_objects_v2(Bucket=bucket, Prefix='docs/')['Contents']]",
                "assert keys == ['docs/a.json', 'docs/b.json'], keys",
                "got = s3.get_object(Bucket=bucket, Key='docs/b.json')",
                "assert got['Body'].read() == b'{\"a\": 1}' and got['Metadata'] == {'owner': 'boto3'}, got",
                "url = s3.generate_presigned_url('get_object', Params={'Bucket': bucket, 'Key': 'docs/a.json'}, ExpiresIn=60)",
                "assert urllib.request.urlopen(url).read() == b'{\"a\": 1}'",
                "s3.delete_objects(Bucket=bucket, Delete={'Objects': [{'Key': k} for k in keys]})",
                "s3.delete_bucket(Bucket=bucket)",
                "print('boto3 ok')", ""));
        assertThat(run(Map.of(), List.of(executable("python3"), script.toString()), cluster.s3Url(), accessKey,
                secretKey, bucket)).contains("boto3 ok");
    }

    /**
     * curl signs with SigV4 itself; addressed virtual-host style, the bucket is in the host name. curl 7.88 does not
     * send x-amz-content-sha256, which S3 requires with header signatures, so it is given (and signed) here.
     */
    @Test
    void curlReachesABucketByItsHostName() throws Exception {
        String bucket = "curl-" + run;
        int port = Integer.parseInt(cluster.s3Url().substring(cluster.s3Url().lastIndexOf(':') + 1));
        String host = bucket + ".localhost:" + port;
        List<String> curl = List.of(executable("curl"), "-sS", "--fail-with-body", "--aws-sigv4", "aws:amz:us-east-1:s3",
                "--user", accessKey + ":" + secretKey, "--resolve", host + ":127.0.0.1",
                "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD");
        run(Map.of(), curl, "-X", "PUT", "http://" + host + "/");
        Path file = Files.writeString(dir.resolve("note.txt"), "virtual host");
        run(Map.of(), curl, "-T", file.toString(), "http://" + host + "/notes/note.txt");
        assertThat(run(Map.of(), curl, "http://" + host + "/notes/note.txt")).isEqualTo("virtual host");
        assertThat(run(Map.of(), curl, "http://" + host + "/?list-type=2")).contains("<Key>notes/note.txt</Key>");
        run(Map.of(), curl, "-X", "DELETE", "http://" + host + "/notes/note.txt");
        run(Map.of(), curl, "-X", "DELETE", "http://" + host + "/");
    }

    /** A small tree: text, JSON in a sub-folder, and a binary file of a few MiB (below the clients' multipart size). */
    private Path folder(String name) throws IOException {
        Path root = Files.createDirectories(dir.resolve(name));
        Files.writeString(root.resolve("a.txt"), "hello from " + name);
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/b.json"), "{\"client\":\"" + name + "\"}");
        byte[] big = new byte[3 * 1024 * 1024 + 5];
        new Random(name.hashCode()).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        return root;
    }

    private static void assertSameFiles(Path expected, Path actual) throws IOException {
        try (var files = Files.walk(expected)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readAllBytes(actual.resolve(expected.relativize(file).toString())))
                        .as("%s", file).isEqualTo(Files.readAllBytes(file));
            }
        }
    }

    /** Debian's binary, not whatever a version manager put first on PATH. */
    private static String executable(String name) {
        Path debian = Path.of("/usr/bin", name);
        return Files.isExecutable(debian) ? debian.toString() : name;
    }

    private String run(Map<String, String> env, List<String> program, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The user's own AWS settings (a CA bundle, a profile, a region) must not decide what these clients do.
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(env);
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        boolean exited = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(exited).as("%s finished", command).isTrue();
        assertThat(process.exitValue()).as("%s exit status; output:%n%s", String.join(" ", command), text).isZero();
        return text;
    }
}
