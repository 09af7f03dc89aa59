package io.rfs.store.log;

/**
 * Told when compaction copies a record to a new location.
 */
@FunctionalInterface
public interface RelocationListener
{
    /**
     * @param oldLocation where the record was.
     * @param newLocation where its copy now is (not yet forced when called).
     */
    void onMoved(long oldLocation, long newLocation);
}
