package io.rfs.tools.bench;

import java.util.SplittableRandom;

/**
 * One kind of request a benchmark client makes, such as a put of a 4 KiB file. Called by many client threads at
 * once, so an implementation keeps per-client state indexed by {@code client} or none at all.
 */
@FunctionalInterface
public interface Operation
{
    /**
     * Makes one request and waits for its answer.
     *
     * @param client   the calling client, 0 to clients - 1; the same thread always has the same number.
     * @param sequence how many operations this client made before this one.
     * @param random   the calling client's own random source.
     * @return the bytes of file content moved (put or read).
     * @throws Exception if the request failed; counted as an error, not timed.
     */
    long execute(int client, long sequence, SplittableRandom random) throws Exception;
}
