package io.hybridstore.gateway.access;

import io.hybridstore.common.auth.ClusterAuth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Access-key secrets as etcd holds them: AES-256-GCM under a key derived from the cluster secret, with the access
 * key's id as associated data, so neither a reader of etcd nor a backup of it learns a secret, and a sealed secret
 * copied onto another key id does not open. SigV4 needs the secret itself on the server, so a one-way hash would not
 * do. During a rotation either cluster secret opens; {@link AccessKeys} then seals it again under the new one.
 */
final class SecretSeal {

    private static final String PURPOSE = "access-key secrets";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ClusterAuth auth;

    SecretSeal(ClusterAuth auth) {
        this.auth = auth;
    }

    /** A secret opened, and whether it was sealed under the current signing secret. */
    record Opened(String secret, boolean current) {
    }

    String seal(String id, String secret) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        byte[] sealed;
        try {
            sealed = cipher(Cipher.ENCRYPT_MODE, auth.derivedKeys(PURPOSE).getFirst(), nonce, id)
                    .doFinal(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed)
                .array());
    }

    /** The secret, or empty when no accepted cluster secret opens it (sealed by another cluster, or damaged). */
    Optional<Opened> open(String id, String sealed) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length <= NONCE) {
            return Optional.empty();
        }
        byte[] nonce = Arrays.copyOf(bytes, NONCE);
        List<byte[]> keys = auth.derivedKeys(PURPOSE);
        for (int k = 0; k < keys.size(); k++) {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, keys.get(k), nonce, id);
            try {
                byte[] plain = cipher.doFinal(bytes, NONCE, bytes.length - NONCE);
                return Optional.of(new Opened(new String(plain, StandardCharsets.UTF_8), k == 0));
            } catch (AEADBadTagException wrongKey) {
                // Sealed under the other accepted secret, or not by this cluster.
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM failed", e);
            }
        }
        return Optional.empty();
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, String id) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
