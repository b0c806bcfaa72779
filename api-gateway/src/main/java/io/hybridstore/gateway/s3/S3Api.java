package io.hybridstore.gateway.s3;

import io.hybridstore.common.metadata.MetadataRefusedException;
import io.hybridstore.common.metadata.MetadataUnavailableException;
import io.hybridstore.common.placement.InsufficientNodesException;
import io.hybridstore.gateway.access.Access;
import io.hybridstore.gateway.access.AccessDeniedException;
import io.hybridstore.gateway.access.AccessKeys;
import io.hybridstore.gateway.access.Caller;
import io.hybridstore.gateway.memory.OverloadedException;
import io.hybridstore.gateway.read.ObjectUnavailableException;
import io.hybridstore.gateway.read.ReadAbortedException;
import io.hybridstore.gateway.s3.auth.Payloads;
import io.hybridstore.gateway.s3.auth.SigV4Verifier;
import io.hybridstore.gateway.s3.auth.SignedRequest;
import io.hybridstore.gateway.wal.LogUnavailableException;
import io.hybridstore.gateway.write.CommitOutcomeUnknownException;
import io.hybridstore.gateway.write.QuorumException;
import io.hybridstore.gateway.write.TooManyFieldsException;
import io.hybridstore.gateway.write.WriteConflictException;
import io.hybridstore.gateway.write.WriteRolledBackException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The S3 API: every request that arrives on the gateway's S3 listener ({@code hybridstore.s3.port}) is answered
 * here, before Spring MVC, and never reaches the native API's controllers. In order: a request id, the SigV4
 * signature, the payload decoder that verifies the body as it is read, then the operation the method, bucket, key and
 * sub-resource name. Every refusal is an S3 XML error with its status; no exception leaves as a stack trace.
 */
final class S3Api implements Filter {

    private static final Logger log = LoggerFactory.getLogger(S3Api.class);
    /** Sub-resources of buckets and objects that HybridStore does not implement: 501, never a wrong success. */
    private static final List<String> UNSUPPORTED = List.of("acl", "policy", "policyStatus", "lifecycle", "cors",
            "tagging", "encryption", "object-lock", "retention", "legal-hold", "replication", "website", "logging",
            "notification", "accelerate", "requestPayment", "analytics", "metrics", "inventory",
            "intelligent-tiering", "ownershipControls", "publicAccessBlock", "torrent", "restore", "select",
            "attributes");
    private static final int MAX_DELETE_BODY = 2 * 1024 * 1024;
    /** 10,000 parts of about a hundred bytes of XML each. */
    private static final int MAX_COMPLETE_BODY = 4 * 1024 * 1024;

    private final int port;
    private final S3Properties properties;
    private final SigV4Verifier verifier;
    private final AccessKeys accessKeys;
    private final BucketOperations bucketOps;
    private final ObjectOperations objectOps;
    private final Multipart multipart;

    S3Api(S3Properties properties, SigV4Verifier verifier, AccessKeys accessKeys, BucketOperations bucketOps,
          ObjectOperations objectOps, Multipart multipart) {
        this.accessKeys = accessKeys;
        this.multipart = multipart;
        this.port = properties.port();
        this.properties = properties;
        this.verifier = verifier;
        this.bucketOps = bucketOps;
        this.objectOps = objectOps;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) req;
        if (http.getLocalPort() != port) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        String requestId = HexFormat.of().withUpperCase().toHexDigits(ThreadLocalRandom.current().nextLong());
        response.setHeader("x-amz-request-id", requestId);
        response.setHeader("x-amz-id-2", requestId);
        S3Request request = null;
        try {
            request = S3Request.of(http, properties.domain());
            SignedRequest signed = new SignedRequest(http.getMethod(), request.rawPath(), request.rawQuery(),
                    request.headers());
            SigV4Verifier.Verified verified = verifier.verify(signed);
            Caller caller = accessKeys.find(verified.accessKey()).map(found -> new Caller(found.key()))
                    .orElseThrow(() -> new S3Exception(S3Error.INVALID_ACCESS_KEY_ID, "The access key was deleted"));
            authorize(request, caller);
            InputStream payload = Payloads.body(verified, signed, http.getInputStream());
            dispatch(request, payload, response, caller);
        } catch (S3Exception e) {
            error(request, response, e.error(), e.getMessage(), requestId);
        } catch (AccessDeniedException e) {
            log.info("S3 {} {}: access denied: {}", http.getMethod(), http.getRequestURI(), e.getMessage());
            error(request, response, S3Error.ACCESS_DENIED, "Access Denied: " + e.getMessage(), requestId);
        } catch (Preconditions.NotModified e) {
            response.reset();
            response.setStatus(304);
            response.setHeader("x-amz-request-id", requestId);
            response.setHeader("ETag", e.etag);
            response.setHeader("Last-Modified", Preconditions.httpDate(e.lastModified));
        } catch (ReadAbortedException e) {
            throw new ClientAbortException(e);
        } catch (OverloadedException e) {
            error(request, response, S3Error.SLOW_DOWN, "Please reduce your request rate: " + e.getMessage(), requestId);
        } catch (QuorumException | InsufficientNodesException | LogUnavailableException | WriteRolledBackException
                 | MetadataUnavailableException | ObjectUnavailableException | CommitOutcomeUnknownException e) {
            log.warn("S3 {} {} could not be served: {}", http.getMethod(), http.getRequestURI(), e.getMessage());
            error(request, response, S3Error.SERVICE_UNAVAILABLE, e.getMessage(), requestId);
        } catch (WriteConflictException e) {
            error(request, response, S3Error.OPERATION_ABORTED, e.getMessage(), requestId);
        } catch (MetadataRefusedException | TooManyFieldsException e) {
            error(request, response, S3Error.INVALID_REQUEST, e.getMessage(), requestId);
        } catch (UncheckedIOException e) {
            log.info("S3 {} {}: the body could not be read: {}", http.getMethod(), http.getRequestURI(),
                    e.getCause().toString());
            error(request, response, S3Error.INCOMPLETE_BODY, "The request body could not be read: "
                    + e.getCause().getMessage(), requestId);
        } catch (RuntimeException e) {
            log.error("S3 {} {} failed (request {})", http.getMethod(), http.getRequestURI(), requestId, e);
            error(request, response, S3Error.INTERNAL_ERROR, "We encountered an internal error. Please try again.",
                    requestId);
        }
    }

    /**
     * Whether the caller's grants cover the request, before any of it runs. Objects are checked by their native key
     * ({@code bucket/key}); a bucket's own calls by its root ({@code bucket/}), a listing by its prefix; HeadBucket and
     * the bucket's location and versioning by any grant in it (clients ask them before they touch their prefix); a
     * copy also needs to read its source. Listing the buckets is open to every key; it shows those a key reaches.
     */
    private static void authorize(S3Request request, Caller caller) {
        if (request.bucket().isEmpty()) {
            return;
        }
        boolean reads = request.method().equals("GET") || request.method().equals("HEAD");
        Access needed = reads ? Access.READ : Access.READ_WRITE;
        if (request.key().isEmpty()) {
            if (request.method().equals("HEAD") || request.has("location") || request.has("versioning") && reads) {
                caller.requireReach(request.bucket());
                return;
            }
            String prefix = reads && !request.has("uploads") ? request.parameter("prefix").orElse("") : "";
            caller.require(Buckets.objectKey(request.bucket(), prefix), needed);
            return;
        }
        caller.require(Buckets.objectKey(request.bucket(), request.key()), needed);
        ObjectOperations.copySourceKey(request).ifPresent(source -> caller.require(source, Access.READ));
    }

    private void dispatch(S3Request request, InputStream payload, HttpServletResponse response, Caller caller)
            throws IOException {
        String method = request.method();
        for (String unsupported : UNSUPPORTED) {
            if (request.has(unsupported)) {
                throw new S3Exception(S3Error.NOT_IMPLEMENTED, "HybridStore does not implement the '" + unsupported
                        + "' sub-resource yet (see the README's table of S3 operations)");
            }
        }
        if (request.bucket().isEmpty()) {
            requireMethod(method, "GET");
            xml(response, 200, bucketOps.listBuckets(caller::reaches));
            return;
        }
        if (request.key().isEmpty()) {
            bucket(request, payload, response);
            return;
        }
        if (request.has("uploadId") || request.has("uploads")) {
            upload(request, payload, response);
            return;
        }
        switch (method) {
            case "PUT" -> {
                if (request.header("x-amz-copy-source").isPresent()) {
                    xml(response, 200, objectOps.copy(request));
                } else {
                    objectOps.put(request, payload, bodyLength(request), response);
                }
            }
            case "GET" -> objectOps.get(request, response, false);
            case "HEAD" -> objectOps.get(request, response, true);
            case "DELETE" -> objectOps.delete(request, response);
            default -> throw notAllowed(method);
        }
    }

    /** The multipart upload operations on an object: create, part, part copy, complete, abort, list parts. */
    private void upload(S3Request request, InputStream payload, HttpServletResponse response) throws IOException {
        switch (request.method()) {
            case "POST" -> {
                if (request.has("uploads")) {
                    xml(response, 200, multipart.create(request));
                } else {
                    xml(response, 200, multipart.complete(request, boundedBody(payload, MAX_COMPLETE_BODY)));
                }
            }
            case "PUT" -> {
                if (request.header("x-amz-copy-source").isPresent()) {
                    xml(response, 200, multipart.uploadPartCopy(request, objectOps));
                } else {
                    response.setHeader("ETag", multipart.uploadPart(request, payload, bodyLength(request)));
                    response.setStatus(200);
                }
            }
            case "GET" -> xml(response, 200, multipart.listParts(request));
            case "DELETE" -> {
                multipart.abort(request);
                response.setStatus(204);
            }
            default -> throw notAllowed(request.method());
        }
    }

    private static byte[] boundedBody(InputStream payload, int limit) throws IOException {
        byte[] body = payload.readNBytes(limit + 1);
        if (body.length > limit) {
            throw new S3Exception(S3Error.MALFORMED_XML, "the request's XML body is over " + limit + " bytes");
        }
        return body;
    }

    private void bucket(S3Request request, InputStream payload, HttpServletResponse response) throws IOException {
        switch (request.method()) {
            case "PUT" -> {
                if (request.has("versioning")) {
                    throw new S3Exception(S3Error.NOT_IMPLEMENTED, "versioning is not implemented yet");
                }
                payload.transferTo(java.io.OutputStream.nullOutputStream());
                bucketOps.create(request);
                response.setHeader("Location", "/" + request.bucket());
                response.setStatus(200);
            }
            case "HEAD" -> {
                bucketOps.head(request);
                response.setHeader("x-amz-bucket-region", properties.region());
                response.setStatus(200);
            }
            case "DELETE" -> {
                bucketOps.delete(request);
                response.setStatus(204);
            }
            case "GET" -> {
                if (request.has("location")) {
                    xml(response, 200, bucketOps.location(request));
                } else if (request.has("versioning")) {
                    xml(response, 200, bucketOps.versioning(request));
                } else if (request.has("uploads")) {
                    xml(response, 200, multipart.listUploads(request));
                } else if (request.has("versions")) {
                    xml(response, 200, bucketOps.listVersions(request));
                } else {
                    xml(response, 200, bucketOps.listObjects(request));
                }
            }
            case "POST" -> {
                if (!request.has("delete")) {
                    throw new S3Exception(S3Error.NOT_IMPLEMENTED, "this POST on a bucket is not implemented");
                }
                xml(response, 200, MultiDelete.run(request, boundedBody(payload, MAX_DELETE_BODY), objectOps));
            }
            default -> throw notAllowed(request.method());
        }
    }

    /** The object's length: x-amz-decoded-content-length under aws-chunked, else Content-Length, which S3 requires. */
    private static long bodyLength(S3Request request) {
        String value = request.header("x-amz-decoded-content-length").or(() -> request.header("content-length"))
                .orElseThrow(() -> new S3Exception(S3Error.MISSING_CONTENT_LENGTH,
                        "You must provide the Content-Length HTTP header"));
        try {
            long length = Long.parseLong(value.strip());
            if (length < 0) {
                throw new NumberFormatException();
            }
            return length;
        } catch (NumberFormatException e) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "the content length '" + value + "' is not a length");
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw notAllowed(method);
        }
    }

    private static S3Exception notAllowed(String method) {
        return new S3Exception(S3Error.METHOD_NOT_ALLOWED, "The specified method is not allowed against this "
                + "resource: " + method);
    }

    private static void xml(HttpServletResponse response, int status, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/xml");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The S3 error document; a HEAD answer carries the status alone, as HEAD has no body. */
    private static void error(S3Request request, HttpServletResponse response, S3Error error, String message,
                              String requestId) throws IOException {
        if (response.isCommitted()) {
            throw new ClientAbortException("the answer had begun: " + message);
        }
        response.reset();
        response.setHeader("x-amz-request-id", requestId);
        response.setStatus(error.status());
        if (request != null && request.method().equals("HEAD")) {
            return;
        }
        Xml xml = new Xml().open("Error").element("Code", error.code()).element("Message", message);
        if (request != null) {
            xml.element("Resource", request.resource());
        }
        byte[] body = xml.element("RequestId", requestId).toBytes();
        response.setContentType("application/xml");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
