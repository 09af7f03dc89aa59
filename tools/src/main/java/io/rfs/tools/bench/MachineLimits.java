package io.rfs.tools.bench;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Measures, in this process, what the machine can do for each stage of the data path, the way
 * {@code shared/tools/limits.sh} does with its helpers: SHA-256 (the JDK's, which rfs uses, and {@code openssl}'s
 * where it is installed, which uses the CPU's SHA extensions), LZ4 (the lz4-java factory rfs uses) on random and on
 * text-like data, durable write bandwidth and fsync latency of the data directory, and loopback TCP bandwidth and
 * round trip. Each figure takes about a second, but for the fsync latency, which takes 3,000 fsyncs; fsync latency and
 * round trip are measured exactly as limits.sh measures them, since issue 5's small-file targets are defined on
 * limits.sh's figures.
 */
public final class MachineLimits
{
    /** Key of the SHA-256 limit that bounds a stream: the faster of the JDK's and openssl's, one core. */
    public static final String SHA256 = "sha256";
    /** Key of the JDK MessageDigest SHA-256 figure. */
    public static final String SHA256_JDK = "sha256.jdk";
    /** Key of the openssl SHA-256 figure. */
    public static final String SHA256_OPENSSL = "sha256.openssl";
    /** Key of LZ4 compression of random data (what a put of random content pays to find it incompressible). */
    public static final String LZ4_COMPRESS_RANDOM = "lz4.compress.random";
    /** Key of LZ4 compression of text-like data. */
    public static final String LZ4_COMPRESS_TEXT = "lz4.compress.text";
    /** Key of LZ4 decompression of text-like data. */
    public static final String LZ4_DECOMPRESS_TEXT = "lz4.decompress.text";
    /** Key of the durable write bandwidth of the data directory. */
    public static final String DISK_WRITE = "disk.write";
    /** Key of the durable write bandwidth of the data directory with one writer per replica, all at once. */
    public static final String DISK_WRITE_PARALLEL = "disk.write.parallel";
    /** Key of the fsync latency (p50) after a 4 KiB append in the data directory. */
    public static final String FSYNC_P50 = "fsync.p50";
    /** Key of the loopback TCP bandwidth. */
    public static final String TCP_LOOPBACK = "tcp.loopback";
    /** Key of the loopback TCP round trip (p50). */
    public static final String TCP_RTT_P50 = "tcp.rtt.p50";

    private static final int CHUNK = 1024 * 1024;
    private static final long WARM_UP_NS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final long MEASURE_NS = TimeUnit.MILLISECONDS.toNanos(700);
    private static final long DISK_BYTES = 256L * 1024 * 1024;
    private static final long PARALLEL_DISK_BYTES = 128L * 1024 * 1024;
    /** Repetitions of the fsync and round trip measurements, each giving a p50; the limit is their median. */
    private static final int REPS = 3;
    private static final int FSYNCS = 1000;
    private static final int FSYNC_APPEND = 4096;
    private static final int ROUND_TRIPS = 10_000;
    private static final int WARM_UP_ROUND_TRIPS = 1000;
    private static final int ROUND_TRIP_REQUEST = 4096;
    private static final int ROUND_TRIP_ANSWER = 8;
    private static final double MIB = 1024.0 * 1024.0;

    private final Path directory;
    private final int writers;
    private final byte[] random = new byte[CHUNK];
    private final byte[] text;

    /**
     * @param directory where the disk figures are measured: the data directory, which must exist.
     * @param writers   how many files are written at once for {@link #DISK_WRITE_PARALLEL}: N, the replicas of a
     *                  chunk, which the nodes of a cluster on this machine write to one disk at the same time.
     */
    public MachineLimits(final Path directory, final int writers)
    {
        if (writers < 1)
        {
            throw new IllegalArgumentException("writers=" + writers + " must be at least 1");
        }
        this.directory = directory;
        this.writers = writers;
        new SplittableRandom(42).nextBytes(random);
        this.text = textLike(CHUNK, new SplittableRandom(43));
    }

    /**
     * Measures everything.
     *
     * @return the limits, in a fixed order.
     * @throws IOException if the data directory cannot be written or a loopback socket opened.
     */
    public List<Limit> measure() throws IOException
    {
        final List<Limit> limits = new ArrayList<>();
        final double jdk = sha256Jdk();
        limits.add(new Limit(SHA256_JDK, "SHA-256, JDK MessageDigest, 1 core", jdk, Limit.BYTES_PER_SECOND));
        final double openssl = sha256Openssl();
        if (openssl > 0)
        {
            limits.add(new Limit(SHA256_OPENSSL, "SHA-256, openssl dgst, 1 core", openssl, Limit.BYTES_PER_SECOND));
        }
        limits.add(new Limit(SHA256, "SHA-256, best of the above", Math.max(jdk, openssl), Limit.BYTES_PER_SECOND));
        lz4(limits);
        limits.add(new Limit(DISK_WRITE, "durable write, 256 MiB then fsync, data directory", diskWrite(1, DISK_BYTES),
            Limit.BYTES_PER_SECOND));
        if (writers > 1)
        {
            limits.add(new Limit(DISK_WRITE_PARALLEL, "durable write, " + writers + " x 128 MiB at once then fsync, " +
                "all together", diskWrite(writers, PARALLEL_DISK_BYTES), Limit.BYTES_PER_SECOND));
        }
        limits.add(new Limit(FSYNC_P50, "fsync after a 4 KiB append, p50 of " + FSYNCS + " (median of " + REPS +
            "), data directory", fsyncP50Us(), Limit.MICROSECONDS));
        loopback(limits);
        return limits;
    }

    private double sha256Jdk()
    {
        final MessageDigest digest = sha256();
        final long[] sink = new long[1];
        return rate(() ->
        {
            digest.update(random);
            sink[0] += digest.digest()[0];
        });
    }

    /**
     * openssl hashing a file of 128 MiB that was just written, so in the page cache: the platform's best SHA-256,
     * process start included (a few milliseconds).
     */
    private double sha256Openssl() throws IOException
    {
        final Path file = Files.createTempFile(directory, "rfs-bench-sha", ".bin");
        try
        {
            final long bytes = 128L * CHUNK;
            try (OutputStream out = Files.newOutputStream(file))
            {
                new RandomInputStream(bytes, 7).transferTo(out);
            }
            double best = 0;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                final long startNs = System.nanoTime();
                final Process process;
                try
                {
                    process = new ProcessBuilder("openssl", "dgst", "-sha256", file.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                }
                catch (final IOException ex)
                {
                    return 0;
                }
                if (process.waitFor() != 0)
                {
                    return 0;
                }
                best = Math.max(best, bytes * 1e9 / (System.nanoTime() - startNs));
            }
            return best;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 0;
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    private void lz4(final List<Limit> limits)
    {
        final LZ4Factory factory = LZ4Factory.fastestInstance();
        final LZ4Compressor compressor = factory.fastCompressor();
        final LZ4SafeDecompressor decompressor = factory.safeDecompressor();
        final byte[] compressed = new byte[compressor.maxCompressedLength(CHUNK)];
        final byte[] restored = new byte[CHUNK];
        final long[] sink = new long[1];
        limits.add(new Limit(LZ4_COMPRESS_RANDOM, "LZ4 compress, random data, 1 core",
            rate(() -> sink[0] += compressor.compress(random, compressed)), Limit.BYTES_PER_SECOND));
        limits.add(new Limit(LZ4_COMPRESS_TEXT, "LZ4 compress, text-like data, 1 core",
            rate(() -> sink[0] += compressor.compress(text, compressed)), Limit.BYTES_PER_SECOND));
        final int length = compressor.compress(text, compressed);
        limits.add(new Limit(LZ4_DECOMPRESS_TEXT, "LZ4 decompress, text-like data, 1 core",
            rate(() -> sink[0] += decompressor.decompress(compressed, 0, length, restored, 0)),
            Limit.BYTES_PER_SECOND));
    }

    /**
     * Writes {@code bytesEach} to each of {@code files} new files from as many threads at once, each forcing its file
     * at the end, as limits.sh's {@code dd conv=fdatasync} does.
     *
     * @return the bytes of all files over the time until the last force returned.
     */
    private double diskWrite(final int files, final long bytesEach) throws IOException
    {
        final List<Path> paths = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        final IOException[] failure = new IOException[1];
        try
        {
            for (int i = 0; i < files; i++)
            {
                paths.add(Files.createTempFile(directory, "rfs-bench-disk", ".bin"));
            }
            final long startNs = System.nanoTime();
            for (final Path path : paths)
            {
                final Thread thread = new Thread(() ->
                {
                    try
                    {
                        writeAndForce(path, bytesEach);
                    }
                    catch (final IOException ex)
                    {
                        synchronized (failure)
                        {
                            failure[0] = ex;
                        }
                    }
                }, "rfs-bench-disk");
                threads.add(thread);
                thread.start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            final long elapsedNs = System.nanoTime() - startNs;
            synchronized (failure)
            {
                if (failure[0] != null)
                {
                    throw failure[0];
                }
            }
            return files * bytesEach * 1e9 / elapsedNs;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while measuring the disk", ex);
        }
        finally
        {
            for (final Path path : paths)
            {
                Files.deleteIfExists(path);
            }
        }
    }

    private void writeAndForce(final Path file, final long bytes) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        buffer.put(random).flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            for (long written = 0; written < bytes; written += CHUNK)
            {
                buffer.rewind();
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
            }
            channel.force(true);
        }
    }

    /**
     * As limits.sh's {@code fsync} group: appends of 4 KiB to a new file, each followed by {@code force(true)}, the
     * write and the force timed together; the p50 of each of {@link #REPS} files, and their median.
     */
    private double fsyncP50Us() throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(FSYNC_APPEND);
        final double[] p50s = new double[REPS];
        for (int rep = 0; rep < REPS; rep++)
        {
            final Path file = Files.createTempFile(directory, "rfs-bench-fsync", ".log");
            final long[] latencies = new long[FSYNCS];
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND))
            {
                for (int i = 0; i < FSYNCS; i++)
                {
                    buffer.clear();
                    buffer.put(random, 0, buffer.capacity()).flip();
                    final long startNs = System.nanoTime();
                    while (buffer.hasRemaining())
                    {
                        channel.write(buffer);
                    }
                    channel.force(true);
                    latencies[i] = System.nanoTime() - startNs;
                }
            }
            finally
            {
                Files.deleteIfExists(file);
            }
            p50s[rep] = p50(latencies) / 1e3;
        }
        return median(p50s);
    }

    /**
     * One sender and one receiver thread over a loopback socket for a second: bandwidth; then the round trip.
     */
    private void loopback(final List<Limit> limits) throws IOException
    {
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel peer = server.accept())
            {
                limits.add(new Limit(TCP_LOOPBACK, "loopback TCP, 1 sender and 1 receiver thread",
                    bandwidth(client, peer), Limit.BYTES_PER_SECOND));
            }
        }
        limits.add(new Limit(TCP_RTT_P50, "loopback TCP round trip, 4 KiB request and 8 B answer, p50 of " +
            ROUND_TRIPS + " (median of " + REPS + ")", roundTripP50Us(), Limit.MICROSECONDS));
    }

    private static double bandwidth(final SocketChannel sender, final SocketChannel receiver) throws IOException
    {
        final long[] received = new long[1];
        final IOException[] failure = new IOException[1];
        final ByteBuffer in = ByteBuffer.allocateDirect(CHUNK);
        final long endNs = System.nanoTime() + WARM_UP_NS + MEASURE_NS;
        final Thread reader = new Thread(() ->
        {
            try
            {
                int read;
                while ((read = receiver.read(in.clear())) > 0)
                {
                    received[0] += read;
                }
            }
            catch (final IOException ex)
            {
                failure[0] = ex;
            }
        }, "rfs-bench-loopback-reader");
        reader.setDaemon(true);
        reader.start();
        final ByteBuffer out = ByteBuffer.allocateDirect(CHUNK);
        long sent = 0;
        long measuredFromNs = 0;
        long measuredFromBytes = 0;
        final long warmEndNs = System.nanoTime() + WARM_UP_NS;
        long nowNs;
        while ((nowNs = System.nanoTime()) < endNs)
        {
            if (measuredFromNs == 0 && nowNs >= warmEndNs)
            {
                measuredFromNs = nowNs;
                measuredFromBytes = sent;
            }
            out.clear();
            while (out.hasRemaining())
            {
                sent += sender.write(out);
            }
        }
        sender.shutdownOutput();
        try
        {
            reader.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null)
        {
            throw failure[0];
        }
        return (sent - measuredFromBytes) * 1e9 / (System.nanoTime() - measuredFromNs);
    }

    /**
     * As limits.sh's {@code tcp} group: round trips of a 4 KiB request answered by an 8-byte message over a new
     * loopback connection (no Nagle delay on either side), one untimed round of {@link #WARM_UP_ROUND_TRIPS} first;
     * the p50 of each of {@link #REPS} rounds, and their median.
     */
    private static double roundTripP50Us() throws IOException
    {
        final double[] p50s = new double[REPS];
        roundTrips(WARM_UP_ROUND_TRIPS);
        for (int rep = 0; rep < REPS; rep++)
        {
            p50s[rep] = p50(roundTrips(ROUND_TRIPS)) / 1e3;
        }
        return median(p50s);
    }

    private static long[] roundTrips(final int count) throws IOException
    {
        final long[] latencies = new long[count];
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel peer = server.accept())
            {
                client.socket().setTcpNoDelay(true);
                peer.socket().setTcpNoDelay(true);
                final Thread echo = new Thread(() -> answer(peer, count), "rfs-bench-loopback-echo");
                echo.setDaemon(true);
                echo.start();
                final ByteBuffer request = ByteBuffer.allocateDirect(ROUND_TRIP_REQUEST);
                final ByteBuffer answer = ByteBuffer.allocateDirect(ROUND_TRIP_ANSWER);
                for (int i = 0; i < count; i++)
                {
                    final long startNs = System.nanoTime();
                    request.clear();
                    while (request.hasRemaining())
                    {
                        client.write(request);
                    }
                    answer.clear();
                    while (answer.hasRemaining())
                    {
                        if (client.read(answer) < 0)
                        {
                            throw new IOException("the loopback echo closed early");
                        }
                    }
                    latencies[i] = System.nanoTime() - startNs;
                }
            }
        }
        return latencies;
    }

    /**
     * The echoing side of {@link #roundTrips}: reads each request whole, then answers it.
     */
    private static void answer(final SocketChannel peer, final int count)
    {
        final ByteBuffer in = ByteBuffer.allocateDirect(ROUND_TRIP_REQUEST);
        final ByteBuffer out = ByteBuffer.allocateDirect(ROUND_TRIP_ANSWER);
        try
        {
            for (int i = 0; i < count; i++)
            {
                in.clear();
                while (in.hasRemaining())
                {
                    if (peer.read(in) < 0)
                    {
                        return;
                    }
                }
                out.clear();
                while (out.hasRemaining())
                {
                    peer.write(out);
                }
            }
        }
        catch (final IOException ex)
        {
            // the timing side then fails to read its answer and reports it
        }
    }

    /**
     * The p50 as limits.sh takes it: the sample at rank ceil(n / 2) once sorted.
     */
    private static long p50(final long[] samples)
    {
        Arrays.sort(samples);
        return samples[Math.max(0, (samples.length + 1) / 2 - 1)];
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Runs a step on {@link #CHUNK} bytes over and over, untimed for {@link #WARM_UP_NS} so that the JIT has compiled
     * it, then timed for {@link #MEASURE_NS}.
     *
     * @return bytes per second.
     */
    private static double rate(final Runnable step)
    {
        final long warmEndNs = System.nanoTime() + WARM_UP_NS;
        while (System.nanoTime() < warmEndNs)
        {
            step.run();
        }
        final long startNs = System.nanoTime();
        long bytes = 0;
        long nowNs;
        while ((nowNs = System.nanoTime()) - startNs < MEASURE_NS)
        {
            step.run();
            bytes += CHUNK;
        }
        return bytes * 1e9 / (nowNs - startNs);
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }

    /**
     * Words of 2 to 10 letters from a vocabulary of 4096 with a skewed choice, spaces and line breaks: compresses
     * about as well as prose or logs.
     */
    static byte[] textLike(final int length, final SplittableRandom random)
    {
        final byte[][] words = new byte[4096][];
        for (int i = 0; i < words.length; i++)
        {
            words[i] = new byte[2 + random.nextInt(9)];
            for (int j = 0; j < words[i].length; j++)
            {
                words[i][j] = (byte)('a' + random.nextInt(26));
            }
        }
        final byte[] text = new byte[length];
        int position = 0;
        while (position < length)
        {
            final int rank = (int)(words.length * Math.pow(random.nextDouble(), 3));
            for (final byte letter : words[rank])
            {
                if (position < length)
                {
                    text[position++] = letter;
                }
            }
            if (position < length)
            {
                text[position++] = (byte)(random.nextInt(12) == 0 ? '\n' : ' ');
            }
        }
        return text;
    }

    /**
     * @param bytesPerSecond a rate.
     * @return it in MiB/s.
     */
    static double mib(final double bytesPerSecond)
    {
        return bytesPerSecond / MIB;
    }
}
