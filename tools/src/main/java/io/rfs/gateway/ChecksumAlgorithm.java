package io.rfs.gateway;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The checksums S3 clients send with a body ({@code Content-MD5}, {@code x-amz-checksum-*} as a header or an
 * {@code aws-chunked} trailer), each as a running computation over the bytes.
 */
public enum ChecksumAlgorithm
{
    MD5, SHA1, SHA256, CRC32, CRC32C;

    /**
     * @param header a header or trailer name such as {@code x-amz-checksum-crc32}.
     * @return the algorithm it names.
     * @throws S3Exception {@code InvalidRequest} for an algorithm the gateway does not compute (e.g. CRC64NVME).
     */
    public static ChecksumAlgorithm ofHeader(final String header) throws S3Exception
    {
        final String prefix = "x-amz-checksum-";
        if (header.startsWith(prefix))
        {
            switch (header.substring(prefix.length()).toLowerCase(Locale.ROOT))
            {
                case "sha1": return SHA1;
                case "sha256": return SHA256;
                case "crc32": return CRC32;
                case "crc32c": return CRC32C;
                default: break;
            }
        }
        throw S3Error.INVALID_REQUEST.exception("unsupported checksum " + header +
            "; the gateway verifies x-amz-checksum-crc32, -crc32c, -sha1 and -sha256");
    }

    /**
     * @return the header that carries it ({@code Content-MD5} for MD5).
     */
    public String header()
    {
        return this == MD5 ? "content-md5" : "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
    }

    /**
     * @return a fresh running computation.
     */
    Running start()
    {
        return switch (this)
        {
            case MD5 -> new Digest(SigV4.digest("MD5"));
            case SHA1 -> new Digest(SigV4.digest("SHA-1"));
            case SHA256 -> new Digest(SigV4.newSha256());
            case CRC32 -> new Crc(new CRC32());
            case CRC32C -> new Crc(new CRC32C());
        };
    }

    /**
     * A checksum being computed.
     */
    interface Running
    {
        void update(byte[] bytes, int offset, int length);

        /**
         * @return the value, big-endian for CRCs, as S3 encodes them before base64.
         */
        byte[] finish();
    }

    private record Digest(MessageDigest digest) implements Running
    {
        @Override
        public void update(final byte[] bytes, final int offset, final int length)
        {
            digest.update(bytes, offset, length);
        }

        @Override
        public byte[] finish()
        {
            return digest.digest();
        }
    }

    private record Crc(Checksum crc) implements Running
    {
        @Override
        public void update(final byte[] bytes, final int offset, final int length)
        {
            crc.update(bytes, offset, length);
        }

        @Override
        public byte[] finish()
        {
            return ByteBuffer.allocate(4).putInt((int)crc.getValue()).array();
        }
    }
}
