package io.rfs.replication.client;

import io.rfs.replication.node.NodeContext;
import io.rfs.store.FileStat;
import io.rfs.store.TransferListener;
import io.rfs.store.chunk.Sha256;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large file through the client over TCP loopback (three nodes in this JVM, N = 3, QUORUM): the put streams it
 * once and the get streams it back, byte-identical, with the heap bounded by the put window and read-ahead rather
 * than the file's size. Size from {@code -Drfs.large.bytes} (default 1 GiB), put window from
 * {@code -Drfs.large.window}. Slow: run with
 * {@code -Drfs.test.excludedGroups=none -Dtest=RfsClientLargeFileTest}. Prints the time and the peak heap.
 */
@Tag("slow")
class RfsClientLargeFileTest
{
    @TempDir
    Path directory;

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void shouldPutAndGetALargeFileWithBoundedMemory() throws Exception
    {
        final long size = Long.getLong("rfs.large.bytes", 1L << 30);
        final long seed = 42;
        try (TcpCluster cluster = new TcpCluster(directory, NodeContext.CHUNK_SEGMENT_CAPACITY_DEFAULT))
        {
            try (RfsClient client = RfsClient.connect(ClientProperties.load(cluster.clientProperties)
                .putWindow(Integer.getInteger("rfs.large.window", ClientContext.PUT_WINDOW_DEFAULT))))
            {
                resetPeaks();
                final long putStart = System.nanoTime();
                final FileStat stored = client.put("large", new RandomStream(seed, size), TransferListener.NONE);
                final long putNs = System.nanoTime() - putStart;
                final long putPeak = heapPeak();

                resetPeaks();
                final DigestStream out = new DigestStream();
                final long getStart = System.nanoTime();
                client.get("large", out, TransferListener.NONE);
                final long getNs = System.nanoTime() - getStart;
                final long getPeak = heapPeak();

                System.out.printf("large file %,d bytes: put %.1f s (%.0f MiB/s, peak heap %,d MiB), " +
                    "get %.1f s (%.0f MiB/s, peak heap %,d MiB), max heap %,d MiB%n",
                    size, putNs / 1e9, size / 1048576.0 / (putNs / 1e9), putPeak >> 20,
                    getNs / 1e9, size / 1048576.0 / (getNs / 1e9), getPeak >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
                assertThat(out.count).isEqualTo(size);
                assertThat(HexFormat.of().formatHex(out.digest.digest())).isEqualTo(stored.sha256());
                assertThat(client.agentErrors()).isZero();
            }
            assertThat(cluster.onlyDialErrors()).as("%s", cluster.errors).isTrue();
        }
    }

    private static void resetPeaks()
    {
        System.gc();
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            pool.resetPeakUsage();
        }
    }

    /**
     * @return the sum of the heap pools' peak use since the last reset: an upper bound on live heap plus garbage.
     */
    private static long heapPeak()
    {
        long peak = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
        {
            if (pool.getType() == MemoryType.HEAP)
            {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /**
     * Pseudo-random bytes, every chunk distinct, generated as read.
     */
    private static final class RandomStream extends InputStream
    {
        private final SplittableRandom random;
        private long remaining;

        RandomStream(final long seed, final long length)
        {
            random = new SplittableRandom(seed);
            remaining = length;
        }

        @Override
        public int read()
        {
            final byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(final byte[] dst, final int offset, final int length)
        {
            if (remaining == 0)
            {
                return -1;
            }
            final int n = (int)Math.min(length, remaining);
            for (int i = 0; i < n; i += 8)
            {
                long value = random.nextLong();
                for (int j = i; j < Math.min(i + 8, n); j++)
                {
                    dst[offset + j] = (byte)value;
                    value >>>= 8;
                }
            }
            remaining -= n;
            return n;
        }
    }

    /**
     * Hashes and counts what is written, keeping nothing.
     */
    private static final class DigestStream extends OutputStream
    {
        final MessageDigest digest = Sha256.newDigest();
        long count;

        @Override
        public void write(final int b)
        {
            digest.update((byte)b);
            count++;
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length) throws IOException
        {
            digest.update(bytes, offset, length);
            count += length;
        }
    }
}
