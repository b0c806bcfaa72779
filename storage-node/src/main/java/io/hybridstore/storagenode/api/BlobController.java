package io.hybridstore.storagenode.api;

import io.hybridstore.common.blob.BlobId;
import io.hybridstore.common.hash.Checksums;
import io.hybridstore.common.node.BlobCheck;
import io.hybridstore.common.node.BlobPage;
import io.hybridstore.common.node.StorageNodeClient;
import io.hybridstore.storagenode.config.StorageNodeProperties;
import io.hybridstore.storagenode.store.BlobStore;
import io.hybridstore.storagenode.store.StoredBlob;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** The internal blob API the gateway and the healer use ({@link StorageNodeClient} is its client). */
@RestController
@RequestMapping("/blobs")
class BlobController {

    static final int DEFAULT_PAGE = 1000;
    static final int MAX_PAGE = 10_000;
    static final int MAX_CHECK = 10_000;

    private final BlobStore store;
    private final WriteAdmission admission;
    private final BodyReader bodies;
    private final long maxBlobSize;

    BlobController(BlobStore store, WriteAdmission admission, BodyReader bodies, StorageNodeProperties properties) {
        this.store = store;
        this.admission = admission;
        this.bodies = bodies;
        this.maxBlobSize = properties.maxBlobSize().toBytes();
    }

    @PutMapping("/{id}")
    ResponseEntity<StoredBlob> put(@PathVariable String id,
                                   @RequestHeader(name = StorageNodeClient.CRC_HEADER, required = false) String crc,
                                   HttpServletRequest request) {
        BlobId blobId = new BlobId(id);
        OptionalLong declared = parseCrc(crc);
        if (request.getContentLengthLong() > maxBlobSize) {
            throw new BlobTooLargeException(maxBlobSize);
        }
        admission.requireAcceptingWrites();
        byte[] data = bodies.read(request);
        return ResponseEntity.status(HttpStatus.CREATED).body(store.put(blobId, data, declared));
    }

    @GetMapping("/{id}")
    ResponseEntity<byte[]> get(@PathVariable String id) {
        byte[] data = store.get(new BlobId(id)).orElseThrow(() -> new BlobNotFoundException(id));
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(StorageNodeClient.CRC_HEADER, Long.toString(Checksums.crc32c(data)))
                .body(data);
    }

    @RequestMapping(path = "/{id}", method = RequestMethod.HEAD)
    ResponseEntity<Void> head(@PathVariable String id) {
        return store.stat(new BlobId(id))
                .map(stat -> ResponseEntity.ok()
                        .contentLength(stat.length())
                        .header(StorageNodeClient.CRC_HEADER, Long.toString(stat.crc32c()))
                        .<Void>build())
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    /**
     * Needs no registration, unlike a put: a delete only removes data, and a gateway's cleanup or a healer's garbage
     * collection must be able to finish on a node that has just lost its lease. {@code durable=false} answers
     * before the delete is on disk: for blobs no manifest references, which a crash could only bring back as
     * garbage for the healer to collect.
     */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id, @RequestParam(defaultValue = "true") boolean durable) {
        store.delete(new BlobId(id), durable);
        return ResponseEntity.noContent().build();
    }

    @GetMapping
    BlobPage list(@RequestParam(required = false) String after,
                  @RequestParam(defaultValue = "" + DEFAULT_PAGE) int limit) {
        if (after != null && !BlobId.isValid(after)) {
            throw new BadRequestException("after must be a blob id");
        }
        if (limit < 1) {
            throw new BadRequestException("limit must be at least 1, was " + limit);
        }
        return store.list(after, Math.min(limit, MAX_PAGE));
    }

    @PostMapping("/check")
    BlobCheck check(@RequestBody CheckRequest request) {
        if (request.ids() == null) {
            throw new BadRequestException("body must be {\"ids\": [...]}");
        }
        if (request.ids().size() > MAX_CHECK) {
            throw new BadRequestException("at most " + MAX_CHECK + " ids per check, got " + request.ids().size());
        }
        List<BlobId> ids = request.ids().stream().map(BlobId::new).toList();
        Map<String, Long> expected = request.expected();
        expected.forEach((id, crc) -> {
            if (crc == null || crc < 0 || crc > 0xFFFF_FFFFL) {
                throw new BadRequestException("crc32c of " + id + " must be an unsigned 32-bit integer, was " + crc);
            }
        });
        if (!request.ids().containsAll(expected.keySet())) {
            throw new BadRequestException("every id in crc32c must also be in ids");
        }
        return store.check(ids, expected, request.verifying());
    }

    private static OptionalLong parseCrc(String header) {
        if (header == null) {
            return OptionalLong.empty();
        }
        try {
            long value = Long.parseLong(header.strip());
            if (value < 0 || value > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return OptionalLong.of(value);
        } catch (NumberFormatException e) {
            throw new BadRequestException(StorageNodeClient.CRC_HEADER + " must be an unsigned 32-bit decimal, was \""
                    + (header.length() > 40 ? header.substring(0, 40) + "..." : header) + '"');
        }
    }
}
