package io.rfs.store;

import io.rfs.store.chunk.Sha256;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.chunkstore.ChunkStore;
import io.rfs.store.chunkstore.CompactionReport;
import io.rfs.store.manifest.HybridLogicalClock;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestStore;
import io.rfs.store.manifest.Version;
import io.rfs.store.read.ChunkReader;
import io.rfs.store.write.PutPipeline;
import io.rfs.store.scrub.ScrubAgent;
import io.rfs.store.scrub.ScrubReport;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The single-node {@link FileStore}: chunks and manifests on one local disk, in
 * {@link LocalStoreContext#dataDirectory()}.
 * <p>
 * Layout of the data directory (see {@code docs/FORMATS.md}): {@code LOCK} (held while open, names the owning
 * process), {@code store.meta} (format version and node id), {@code chunks/} and {@code manifests/} (segment logs).
 * <p>
 * Puts, gets and the rest run concurrently under a shared lock; {@link #compact()} takes it exclusively, because
 * it deletes segment files that readers map and must not free a chunk a concurrent put has just deduplicated
 * against.
 */
public final class LocalFileStore implements FileStore
{
    private final LocalStoreContext ctx;
    private final StoreDirectory directory;
    private final ChunkStore chunks;
    private final ManifestStore manifests;
    private final HybridLogicalClock clock;
    private final ThreadLocal<ChunkCodec> codecs = ThreadLocal.withInitial(ChunkCodec::new);
    private final PutPipeline putPipeline;
    private final ChunkReader chunkReader;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private LocalFileStore(final LocalStoreContext ctx) throws IOException
    {
        this.ctx = ctx;
        this.directory = StoreDirectory.open(ctx.dataDirectory(), ctx.nodeId(), ctx.disk());
        boolean opened = false;
        ChunkStore chunkStore = null;
        try
        {
            this.clock = new HybridLogicalClock(ctx.epochClock());
            chunkStore = ChunkStore.open(
                directory.chunksDirectory(), ctx.disk(), ctx.chunkSegmentCapacity(), directory.nodeId());
            this.chunks = chunkStore;
            this.manifests = ManifestStore.open(
                directory.manifestsDirectory(), ctx.disk(), ctx.manifestSegmentCapacity(), clock);
            this.putPipeline = new PutPipeline(
                chunks, ctx.workers(), codecs::get, ctx.chunksInFlight(), ctx.workerThreads());
            this.chunkReader = new ChunkReader(chunks, ctx.workers(), codecs::get, ctx.chunksInFlight());
            opened = true;
        }
        finally
        {
            if (!opened)
            {
                if (chunkStore != null)
                {
                    chunkStore.close();
                }
                directory.close();
                ctx.close();
            }
        }
    }

    /**
     * Opens the store, creating the data directory if needed and recovering what a crash left.
     *
     * @param ctx configuration; {@link LocalStoreContext#conclude()} is called here.
     * @return the open store.
     * @throws StoreLockedException if another process has the directory open.
     * @throws IOException          if the directory cannot be used.
     */
    public static LocalFileStore open(final LocalStoreContext ctx) throws IOException
    {
        ctx.conclude();
        return new LocalFileStore(ctx);
    }

    /**
     * @param dataDirectory the data directory.
     * @return the store opened with default settings.
     * @throws IOException as {@link #open(LocalStoreContext)}.
     */
    public static LocalFileStore open(final Path dataDirectory) throws IOException
    {
        return open(new LocalStoreContext().dataDirectory(dataDirectory));
    }

    /**
     * @return this store's configuration.
     */
    public LocalStoreContext context()
    {
        return ctx;
    }

    /**
     * @return the chunk store, for tools that work below the file level (scrub, repair).
     */
    public ChunkStore chunkStore()
    {
        return chunks;
    }

    /**
     * @return the manifest store, for tools that work below the file level (its recovery report, for one).
     */
    public ManifestStore manifestStore()
    {
        return manifests;
    }

    @Override
    public FileStat put(final String name, final InputStream in, final TransferListener listener) throws IOException
    {
        FileName.validate(name);
        return putUnderLock(version -> putPipeline.put(name, in, ctx.chunking(), version, listener));
    }

    @Override
    public FileStat put(final String name, final Path source, final TransferListener listener) throws IOException
    {
        FileName.validate(name);
        if (Files.isDirectory(source))
        {
            throw new InvalidInputException(source + " is a directory; rfs stores files");
        }
        final FileChannel file;
        try
        {
            file = FileChannel.open(source, StandardOpenOption.READ);
        }
        catch (final NoSuchFileException ex)
        {
            throw new InvalidInputException("no such file: " + source);
        }
        catch (final AccessDeniedException ex)
        {
            throw new InvalidInputException("cannot read " + source + ": permission denied");
        }
        try (file)
        {
            return putUnderLock(version -> putPipeline.put(name, file, ctx.chunking(), version, listener));
        }
    }

    /**
     * Stores chunks through {@code content} and then the manifest it returns, under the shared lock.
     */
    private FileStat putUnderLock(final PutContent content) throws IOException
    {
        lock.readLock().lock();
        try
        {
            ensureOpen();
            final Manifest manifest = content.store(() -> new Version(clock.now(), directory.nodeId()));
            manifests.put(manifest);
            return manifest.toStat();
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    /**
     * One put's way of storing its chunks: from a stream or from a file.
     */
    @FunctionalInterface
    private interface PutContent
    {
        Manifest store(Supplier<Version> version) throws IOException;
    }

    @Override
    public FileStat get(final String name, final OutputStream out, final TransferListener listener)
        throws IOException
    {
        return get(name, version -> out, listener);
    }

    @Override
    public FileStat get(final String name, final VersionedSink sink, final TransferListener listener)
        throws IOException
    {
        FileName.validate(name);
        lock.readLock().lock();
        try
        {
            ensureOpen();
            final Manifest manifest = live(name);
            final OutputStream out = sink.open(manifest.toStat());
            chunkReader.read(
                manifest,
                maxChunkLength(manifest),
                (index, bytes, length) ->
                {
                    out.write(bytes, 0, length);
                    listener.onProgress(length);
                },
                (index, error) ->
                {
                    throw error;
                });
            return manifest.toStat();
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    @Override
    public FileStat get(final String name, final Path target, final TransferListener listener) throws IOException
    {
        FileName.validate(name);
        if (Files.isDirectory(target))
        {
            throw new InvalidInputException(target + " is a directory; name a file to write");
        }
        final Path absolute = target.toAbsolutePath();
        final Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent))
        {
            throw new InvalidInputException("no such directory: " + parent);
        }
        stat(name);
        final Path temporary = Files.createTempFile(parent, "." + absolute.getFileName() + ".", ".rfs-part");
        boolean done = false;
        try
        {
            final FileStat stat;
            try (OutputStream out = Files.newOutputStream(temporary))
            {
                stat = get(name, out, listener);
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return stat;
        }
        finally
        {
            if (!done)
            {
                Files.deleteIfExists(temporary);
            }
        }
    }

    @Override
    public FileStat delete(final String name) throws IOException
    {
        FileName.validate(name);
        lock.readLock().lock();
        try
        {
            ensureOpen();
            live(name);
            final Manifest tombstone = Manifest.tombstone(name, new Version(clock.now(), directory.nodeId()));
            manifests.put(tombstone);
            return tombstone.toStat();
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<FileStat> list(final String prefix) throws IOException
    {
        ensureOpen();
        return manifests.list(prefix == null ? "" : prefix);
    }

    @Override
    public FileStat stat(final String name) throws IOException
    {
        FileName.validate(name);
        ensureOpen();
        final FileStat stat = manifests.stat(name);
        if (stat == null || stat.tombstone())
        {
            throw new UnknownFileException(name);
        }
        return stat;
    }

    @Override
    public VerifyReport verify(final List<String> names, final TransferListener listener) throws IOException
    {
        lock.readLock().lock();
        try
        {
            ensureOpen();
            final List<String> targets = names.isEmpty() ? manifests.liveNames() : names;
            final List<VerifyReport.Problem> problems = new ArrayList<>();
            final long[] counts = new long[5]; // files, chunks, bytes, corrupt, missing
            for (final String name : targets)
            {
                FileName.validate(name);
                final Manifest manifest = live(name);
                counts[0]++;
                final MessageDigest digest = Sha256.newDigest();
                final long[] fileBytes = new long[1];
                final boolean[] chunkProblem = new boolean[1];
                chunkReader.read(
                    manifest,
                    maxChunkLength(manifest),
                    (index, bytes, length) ->
                    {
                        digest.update(bytes, 0, length);
                        fileBytes[0] += length;
                        counts[1]++;
                        counts[2] += length;
                        listener.onProgress(length);
                    },
                    (index, error) ->
                    {
                        counts[1]++;
                        chunkProblem[0] = true;
                        final String chunkId = manifest.chunkId(index).toHex();
                        if (error instanceof MissingChunkException)
                        {
                            counts[4]++;
                            problems.add(new VerifyReport.Problem(
                                name, VerifyReport.Kind.MISSING_CHUNK, chunkId, error.getMessage()));
                        }
                        else if (error instanceof CorruptChunkException)
                        {
                            counts[3]++;
                            problems.add(new VerifyReport.Problem(
                                name, VerifyReport.Kind.CORRUPT_CHUNK, chunkId, error.getMessage()));
                        }
                        else
                        {
                            throw error;
                        }
                    });
                if (!chunkProblem[0] &&
                    (fileBytes[0] != manifest.size() || !MessageDigest.isEqual(digest.digest(), manifest.sha256())))
                {
                    problems.add(new VerifyReport.Problem(name, VerifyReport.Kind.FILE_DIGEST_MISMATCH, null,
                        "every chunk verified but the file's length or SHA-256 differs from its manifest"));
                }
            }
            return new VerifyReport(counts[0], counts[1], counts[2], counts[3], counts[4], problems);
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    /**
     * Reclaims the space of deleted and overwritten files: chunks no live file names and superseded manifest
     * versions are dropped from segments with at least {@link LocalStoreContext#compactionGarbagePercent()} of
     * garbage. Puts and gets wait while it runs. Safe to kill at any point.
     *
     * @return what the chunk compaction did.
     * @throws IOException if it fails; nothing live is lost.
     */
    public CompactionReport compact() throws IOException
    {
        lock.writeLock().lock();
        try
        {
            ensureOpen();
            final LongHashSet live = new LongHashSet();
            for (final String name : manifests.liveNames())
            {
                final Manifest manifest = manifests.current(name);
                for (int i = 0; i < manifest.chunkCount(); i++)
                {
                    live.add(manifest.chunkId(i).prefix());
                }
            }
            manifests.compact(ctx.compactionGarbagePercent());
            return chunks.compact(live::contains, ctx.compactionGarbagePercent());
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    /**
     * Runs one scrub pass on the calling thread: every stored chunk is re-read and re-hashed at no more than
     * {@code bytesPerSecond}, and the ones that fail are quarantined.
     *
     * @param bytesPerSecond raw bytes verified per second.
     * @return what the pass found.
     * @throws IOException if the store is closed.
     */
    public ScrubReport scrub(final long bytesPerSecond) throws IOException
    {
        lock.readLock().lock();
        try
        {
            ensureOpen();
            final ScrubReport[] result = new ScrubReport[1];
            final ScrubAgent agent = new ScrubAgent(
                chunks, SystemNanoClock.INSTANCE, bytesPerSecond, (report) -> result[0] = report);
            final IdleStrategy idle = new SleepingMillisIdleStrategy(1);
            while (result[0] == null)
            {
                idle.idle(agent.doWork());
            }
            return result[0];
        }
        finally
        {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() throws IOException
    {
        lock.writeLock().lock();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            manifests.close();
            chunks.close();
            directory.close();
            ctx.close();
        }
        finally
        {
            lock.writeLock().unlock();
        }
    }

    private Manifest live(final String name) throws IOException
    {
        final Manifest manifest = manifests.current(name);
        if (manifest == null || manifest.isTombstone())
        {
            throw new UnknownFileException(name);
        }
        return manifest;
    }

    private static int maxChunkLength(final Manifest manifest)
    {
        int max = 1;
        for (int i = 0; i < manifest.chunkCount(); i++)
        {
            max = Math.max(max, manifest.chunkLength(i));
        }
        return max;
    }

    private void ensureOpen() throws RfsException
    {
        if (closed)
        {
            throw new RfsException("store is closed");
        }
    }
}
