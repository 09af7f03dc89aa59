package io.rfs.store;

import io.rfs.store.log.SegmentCompaction;

import java.io.IOException;

/**
 * The incremental compactions of {@link CrashWorker.Mode#STEP}: one compaction at a time, of the chunk log and the
 * manifest log in turn, moved on by one small slice per {@link #step()} so that the worker's puts, deletes and drops
 * fall between its steps, its finish and its releases, as they do on a node. Each phase is announced on stdout so
 * that the parent can aim its kills at them:
 * <pre>
 *   STARTED &lt;log&gt;             a compaction of that log started (the log rolled)
 *   FINISHING &lt;log&gt;           every record is copied; the finish (force, rename to .seg.retired) is about to run
 *   FINISHED &lt;log&gt; &lt;segments&gt;  the victims are retired
 *   RELEASED &lt;log&gt;            their files are gone: the compaction is over
 * </pre>
 */
final class SteppedCompactions
{
    /** Most segments one compaction rewrites; every sealed segment qualifies (no garbage threshold). */
    static final int MAX_SEGMENTS = 3;
    /** File bytes one release step frees: a few steps per victim, so that kills find retired files. */
    static final int RELEASE_BYTES = 256 * 1024;

    private final LocalFileStore store;
    private final int stepBytes;
    private SegmentCompaction compaction;
    private boolean manifests = true;
    private boolean finished;

    /**
     * @param store     the store whose logs are compacted.
     * @param stepBytes the budget of each copy step, small so that a compaction takes many steps.
     */
    SteppedCompactions(final LocalFileStore store, final int stepBytes)
    {
        this.store = store;
        this.stepBytes = stepBytes;
    }

    /**
     * Takes one step: starts the next compaction if none runs, else copies, finishes or releases one slice.
     *
     * @throws IOException if the compaction fails; the worker then dies and the parent sees it end unkilled.
     */
    void step() throws IOException
    {
        if (compaction == null)
        {
            manifests = !manifests;
            compaction = manifests ?
                store.manifestStore().startCompaction(0, MAX_SEGMENTS) :
                store.chunkStore().startCompaction(0, MAX_SEGMENTS);
            CrashWorker.emit("STARTED " + logName());
        }
        else if (!compaction.isCopied())
        {
            compaction.step(stepBytes);
        }
        else if (!finished)
        {
            CrashWorker.emit("FINISHING " + logName());
            compaction.finish();
            finished = true;
            CrashWorker.emit("FINISHED " + logName() + " " + compaction.segments());
        }
        else if (compaction.release(RELEASE_BYTES))
        {
            CrashWorker.emit("RELEASED " + logName());
            compaction = null;
            finished = false;
        }
    }

    private String logName()
    {
        return manifests ? "manifests" : "chunks";
    }
}
