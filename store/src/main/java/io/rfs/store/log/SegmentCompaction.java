package io.rfs.store.log;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import static io.rfs.store.log.RecordDescriptor.HEADER_LENGTH;
import static io.rfs.store.log.RecordDescriptor.KEY_LENGTH;
import static io.rfs.store.log.RecordDescriptor.STORED_LENGTH_OFFSET;
import static io.rfs.store.log.RecordDescriptor.recordLength;

/**
 * One compaction of a {@link SegmentLog}, run in steps so that the thread that runs it serves other work in between:
 * the first steps choose the victims (reading a budget's worth of record headers each), then each {@link #step}
 * copies about a budget of bytes of the records {@code keep} accepts out of the victim segments to the end of the
 * log and tells the {@link RelocationListener} of each copy; once a step reports every record copied,
 * {@link #finish} forces the copies and takes the victims out of the log (unmaps them, renames their files so that
 * recovery ignores them) and tells the caller how many bytes that freed; {@link #release} steps then free the files'
 * bytes. Only the finish unmaps anything, so only it needs the caller's readers to be done with the victims.
 * <p>
 * <b>Changes between steps.</b> The caller's index points at a copy from the moment it is told of it, so whatever
 * the caller does to a record between steps (flags it dropped or quarantined, supersedes it) it does to the copy, or
 * appends after it. A record not yet reached is asked about when a step reaches it, so a record dropped or superseded
 * before then is not copied. The victim keeps the old, unflagged record until the finish, and recovery after a kill
 * between steps meets it first, since a victim is older than every copy: the store's recovery rules must let the
 * later record decide (a chunk's later copy wins, a later {@code DROPPED} copy hides it; a manifest is flagged
 * dropped in every record of its name, victims included).
 * <p>
 * <b>Crashes.</b> A kill before the finish leaves each copied record twice, the victim's intact and forced long ago
 * and the copy forced or torn (recovery zeroes a torn tail); a kill during the finish leaves the victims not yet
 * renamed, their records copied and forced. Either way every kept record is whole in at least one place. A victim
 * once renamed is never read again: a record dropped after the finish is flagged only in its copy, and recovery
 * must not meet the victim's unflagged one (a manifest's would come back); recovery deletes the retired files.
 * <p>
 * <b>Cost.</b> Each step first forces the previous step's copies (a step's force covers about one budget of bytes,
 * not the whole compaction's), then copies. The finish forces what the last step copied and renames the files;
 * deleting a 256 MiB file at once took 70 to 90 ms (freeing its cached pages), so the release truncates it a budget
 * at a time.
 * <p>
 * <b>Threads.</b> One thread steps and finishes, the one that changes the store.
 */
public final class SegmentCompaction
{
    private final SegmentLog log;
    private final List<Integer> candidates;
    private final RecordFilter isLive;
    private final int minGarbagePercent;
    private final int maxSegments;
    private final List<Integer> victims = new ArrayList<>();
    private final RecordFilter keep;
    private final RelocationListener moved;
    private final LongConsumer reclaimed;
    private final byte[] key = new byte[KEY_LENGTH];
    private final List<Path> retired = new ArrayList<>();
    private byte[] scratch = new byte[0];
    private int candidateIndex;
    private long candidateLiveBytes;
    private boolean selected;
    private int victimIndex;
    private int offset;
    private boolean unforced;
    private boolean finished;
    private long recordsCopied;
    private long bytesCopied;
    private long bytesLeft;
    private int steps;

    SegmentCompaction(
        final SegmentLog log,
        final List<Integer> candidates,
        final RecordFilter isLive,
        final int minGarbagePercent,
        final int maxSegments,
        final RecordFilter keep,
        final RelocationListener moved,
        final LongConsumer reclaimed)
    {
        this.log = log;
        this.candidates = List.copyOf(candidates);
        this.isLive = isLive;
        this.minGarbagePercent = minGarbagePercent;
        this.maxSegments = maxSegments;
        this.keep = keep;
        this.moved = moved;
        this.reclaimed = reclaimed;
    }

    /**
     * Until the victims are chosen, reads the headers of candidate segments' records, {@code budgetBytes} of them
     * (a header counts {@link RecordDescriptor#HEADER_LENGTH} bytes), and copies nothing. Then forces the previous
     * step's copies and copies kept records until {@code budgetBytes} are spent: a copied record costs its length, a
     * skipped one its header's (its payload is not read).
     *
     * @param budgetBytes about how many bytes to copy; a record is never split, so a step may copy one record more.
     * @return true once every record is copied (at once if no segment has enough garbage): call {@link #finish}
     * next.
     * @throws IOException if a copy or the force fails; the victims stay and the log stays consistent (records
     *                     copied so far are duplicates that recovery and a later compaction resolve).
     */
    public boolean step(final int budgetBytes) throws IOException
    {
        if (finished)
        {
            throw new IllegalStateException("compaction finished");
        }
        steps++;
        if (!selected)
        {
            select(budgetBytes);
            return selected && victims.isEmpty();
        }
        if (unforced)
        {
            log.force();
            unforced = false;
        }
        long spent = 0;
        while (victimIndex < victims.size())
        {
            if (spent >= budgetBytes)
            {
                return false;
            }
            final int segmentId = victims.get(victimIndex);
            final DirectBuffer buffer = log.segmentBuffer(segmentId);
            final int limit = (int)log.segmentUsedBytes(segmentId);
            offset = buffer == null ? limit : SegmentLog.nextRecord(buffer, offset, limit);
            if (offset >= limit)
            {
                victimIndex++;
                offset = 0;
                continue;
            }
            final int length = recordLength(buffer.getInt(offset + STORED_LENGTH_OFFSET));
            final long location = SegmentLog.location(segmentId, offset);
            if (keep.test(location, buffer, offset))
            {
                final int storedLength = buffer.getInt(offset + STORED_LENGTH_OFFSET);
                if (scratch.length < storedLength)
                {
                    scratch = new byte[storedLength];
                }
                final long newLocation = log.copy(buffer, offset, scratch, key);
                unforced = true;
                recordsCopied++;
                bytesCopied += length;
                spent += length;
                moved.onMoved(location, newLocation);
            }
            else
            {
                bytesLeft += length;
                spent += HEADER_LENGTH;
            }
            offset += length;
        }
        return true;
    }

    /**
     * @return true once a step has reported every record copied.
     */
    public boolean isCopied()
    {
        return selected && victimIndex == victims.size();
    }

    private void select(final long budgetBytes)
    {
        long spent = 0;
        while (candidateIndex < candidates.size() && victims.size() < maxSegments)
        {
            if (spent >= budgetBytes)
            {
                return;
            }
            final int segmentId = candidates.get(candidateIndex);
            final DirectBuffer buffer = log.segmentBuffer(segmentId);
            final int limit = (int)log.segmentUsedBytes(segmentId);
            offset = buffer == null ? limit : SegmentLog.nextRecord(buffer, offset, limit);
            if (offset >= limit)
            {
                if (buffer != null &&
                    (limit == 0 || (limit - candidateLiveBytes) * 100 >= (long)minGarbagePercent * limit))
                {
                    victims.add(segmentId);
                }
                candidateIndex++;
                candidateLiveBytes = 0;
                offset = 0;
                continue;
            }
            final int length = recordLength(buffer.getInt(offset + STORED_LENGTH_OFFSET));
            if (isLive.test(SegmentLog.location(segmentId, offset), buffer, offset))
            {
                candidateLiveBytes += length;
            }
            spent += HEADER_LENGTH;
            offset += length;
        }
        selected = true;
        offset = 0;
    }

    /**
     * Forces the copies and takes the victims out of the log: unmaps them and renames their files so that recovery
     * no longer reads them (and deletes them), then forces the directory. The caller guarantees that nothing reads a
     * victim any more. The files' bytes are freed by {@link #release} steps afterwards.
     *
     * @throws IOException if the force or a rename fails; the victims not yet renamed stay, which is consistent.
     */
    public void finish() throws IOException
    {
        if (!isCopied() || finished)
        {
            throw new IllegalStateException("isCopied=" + isCopied() + " finished=" + finished);
        }
        log.force();
        finished = true;
        for (final int segmentId : victims)
        {
            retired.add(log.retireSegment(segmentId));
        }
        log.forceDirectory();
        reclaimed.accept(reclaimedBytes());
    }

    /**
     * After {@link #finish}: frees about {@code budgetBytes} of the victims' files (truncating them from their end,
     * then deleting them). Reads nothing the caller's readers hold, so it needs no wait.
     *
     * @param budgetBytes most bytes of file length freed.
     * @return true once every victim's file is gone: the compaction is over.
     * @throws IOException if a file cannot be truncated or deleted; a restart deletes what is left.
     */
    public boolean release(final long budgetBytes) throws IOException
    {
        if (!finished)
        {
            throw new IllegalStateException("not finished");
        }
        steps++;
        while (!retired.isEmpty())
        {
            if (!SegmentLog.releaseRetired(retired.get(0), budgetBytes))
            {
                return false;
            }
            retired.remove(0);
        }
        return true;
    }

    /**
     * Runs the whole compaction in one call: every record copied in one step, the finish, and every file freed.
     *
     * @throws IOException as {@link #step}, {@link #finish} or {@link #release}.
     */
    public void run() throws IOException
    {
        while (!step(Integer.MAX_VALUE))
        {
            // the budget covers any log: one step chooses the victims, the next copies everything
        }
        finish();
        release(Long.MAX_VALUE);
    }

    /**
     * @return the segments this compaction rewrites, once they are chosen (0 before).
     */
    public int segments()
    {
        return victims.size();
    }

    /**
     * @return records copied so far.
     */
    public long recordsCopied()
    {
        return recordsCopied;
    }

    /**
     * @return bytes of records copied so far.
     */
    public long bytesCopied()
    {
        return bytesCopied;
    }

    /**
     * @return steps taken so far.
     */
    public int steps()
    {
        return steps;
    }

    /**
     * @return bytes of the victims' records left behind, not copied: what the finish frees (besides the victims' seal
     * records and any corrupt regions).
     */
    public long reclaimedBytes()
    {
        return bytesLeft;
    }
}
