package dev.parley.server.notification;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;

/**
 * P-256 public keys as Web Push writes them: an uncompressed point, 0x04 then x and y in 32 bytes each (X9.62), the
 * form of a subscription's p256dh, of the server's VAPID key and of each payload's key id.
 */
final class P256 {

    static final int POINT_BYTES = 65;
    private static final ECParameterSpec CURVE = curve();

    private P256() {
    }

    static ECParameterSpec curve() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK has no P-256", e);
        }
    }

    static ECParameterSpec parameters() {
        return CURVE;
    }

    /** The point as a key; IllegalArgumentException when the bytes are not a point on the curve. */
    static ECPublicKey publicKey(byte[] point) {
        if (point.length != POINT_BYTES || point[0] != 4) {
            throw new IllegalArgumentException("not an uncompressed P-256 point (65 bytes starting with 0x04)");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 33, 65));
        try {
            // The provider checks that the point is on the curve when the key is used; checking here refuses a bad
            // subscription when it is registered, not at its first push.
            BigInteger p = ((java.security.spec.ECFieldFp) CURVE.getCurve().getField()).getP();
            BigInteger right = x.pow(3).add(CURVE.getCurve().getA().multiply(x)).add(CURVE.getCurve().getB()).mod(p);
            if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0 || !y.pow(2).mod(p).equals(right)) {
                throw new IllegalArgumentException("not a point on P-256");
            }
            return (ECPublicKey) KeyFactory.getInstance("EC")
                    .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), CURVE));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 public key", e);
        }
    }

    static byte[] point(ECPublicKey key) {
        byte[] point = new byte[POINT_BYTES];
        point[0] = 4;
        unsigned(key.getW().getAffineX(), point, 1);
        unsigned(key.getW().getAffineY(), point, 33);
        return point;
    }

    private static void unsigned(BigInteger value, byte[] into, int at) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 32 ? bytes.length - 32 : 0;
        int length = bytes.length - start;
        System.arraycopy(bytes, start, into, at + 32 - length, length);
    }
}
