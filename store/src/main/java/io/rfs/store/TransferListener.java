package io.rfs.store;

/**
 * Told of progress during a long transfer, so that a command line can draw a progress bar. Called on the thread
 * that runs the operation; implementations must be quick.
 */
@FunctionalInterface
public interface TransferListener
{
    /** A listener that ignores progress. */
    TransferListener NONE = (bytes) -> {};

    /**
     * @param bytes how many more bytes were transferred since the last call.
     */
    void onProgress(long bytes);
}
