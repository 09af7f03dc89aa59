package io.rfs.store.manifest;

import io.rfs.store.FileStat;

/**
 * Told of every change to the newest version a {@link ManifestStore} holds of a name, exactly once per change, so
 * that a summary kept beside the store (a node's per-range digests of its manifests) stays equal to one computed
 * from scratch. A name dropped is told with no current version. A version that is not newer than the one held changes nothing and is not told; compaction, which
 * moves records, is not a change.
 * <p>
 * Called with the store's lock held, on the thread that changed the store; implementations must be quick and must
 * not call back into the store.
 */
@FunctionalInterface
public interface ManifestIndexListener
{
    /** Tells nothing. */
    ManifestIndexListener NONE = (previous, current) ->
    {
    };

    /**
     * @param previous the stat of the version held before, or null if the name was not held.
     * @param current  the stat of the version now newest (a tombstone for a delete), or null if the name is no
     *                 longer held at all ({@link ManifestStore#drop}).
     */
    void onNewestChanged(FileStat previous, FileStat current);
}
