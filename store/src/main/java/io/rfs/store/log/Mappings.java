package io.rfs.store.log;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;

/**
 * Unmaps chronicle-bytes mappings when their owner closes. {@code MappedBytes.releaseLast()} alone releases the
 * bytes and the mapped file but leaves the file's one store with a reference of its own, so the mapping stayed
 * until a garbage collection happened to run its cleaner: every segment and inbox ever closed kept its address
 * space (and, on tmpfs, its pages), a leak that grew with every restart of a store in one process (the simulator
 * restarts nodes thousands of times).
 */
public final class Mappings
{
    private Mappings()
    {
    }

    /**
     * Releases the bytes, their file and its store, and waits for the unmap. The caller must be the last user: no
     * address into the mapping may be read or written after this.
     *
     * @param bytes a mapping from {@code MappedBytes.singleMappedBytes}, or null.
     */
    public static void unmap(final MappedBytes bytes)
    {
        if (bytes == null || bytes.refCount() == 0)
        {
            return;
        }
        final BytesStore<?, ?> store = bytes.bytesStore();
        bytes.releaseLast();
        if (store != null && store.refCount() > 0)
        {
            store.releaseLast();
        }
        // chronicle unmaps on its background releaser thread; wait so the address space is free on return
        BackgroundResourceReleaser.releasePendingResources();
    }
}
