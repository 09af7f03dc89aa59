package io.rfs.store;

import java.util.List;

/**
 * The outcome of a verify: counts in the manner of fsck, and one line per problem.
 *
 * @param files        files checked.
 * @param chunks       chunk references checked.
 * @param bytes        file bytes covered by those chunks.
 * @param corrupt      chunk references whose stored bytes failed verification.
 * @param missing      chunk references the store does not hold.
 * @param problems     one entry per problem found, in the order found.
 */
public record VerifyReport(long files, long chunks, long bytes, long corrupt, long missing, List<Problem> problems)
{
    /**
     * @return true if nothing was wrong.
     */
    public boolean isClean()
    {
        return problems.isEmpty();
    }

    /**
     * One thing verify found wrong.
     *
     * @param file    the file affected.
     * @param kind    what kind of problem.
     * @param chunkId the chunk at fault as hex, or null for a whole-file problem.
     * @param detail  a sentence for the user.
     */
    public record Problem(String file, Kind kind, String chunkId, String detail)
    {
    }

    /** The kinds of problem verify reports. */
    public enum Kind
    {
        /** A chunk's stored bytes fail their SHA-256 or checksum; the chunk has been quarantined. */
        CORRUPT_CHUNK,
        /** A chunk the manifest names is not in the store. */
        MISSING_CHUNK,
        /** Every chunk verified, yet the whole file's SHA-256 or length differs from the manifest. */
        FILE_DIGEST_MISMATCH,
        /** A cluster replica that should hold the chunk did not answer, so its copy could not be checked. */
        REPLICA_UNREACHABLE
    }
}
