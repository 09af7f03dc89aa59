package io.rfs.replication.transport.shm;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.store.ConfigurationException;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class MappedFileNetworkTest
{
    /** Run with {@code -Drfs.test.seed=N} to replay a failure; every message names the seed it used. */
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());
    static final int INBOX_CAPACITY = 256 * 1024;
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path directory;

    private final CachedNanoClock clock = new CachedNanoClock();

    private MappedFileNetwork network()
    {
        return new MappedFileNetwork(new SharedMemoryContext().directory(directory).inboxCapacity(INBOX_CAPACITY)
            .nanoClock(clock).peerRetryIntervalNs(1_000));
    }

    @Test
    void shouldExchangeMessagesThroughTheFilesOfTwoNetworks() throws IOException
    {
        try (MappedFileNetwork first = network(); MappedFileNetwork second = network())
        {
            final SharedMemoryTransport one = first.newTransport(1);
            final SharedMemoryTransport two = second.newTransport(2);
            final Received received = new Received();

            assertThat(one.offer(2, MessageTypes.HEARTBEAT, 5, new UnsafeBuffer(new byte[]{ 1, 2 }), 0, 2)).isTrue();
            assertThat(two.poll(received, 10)).isEqualTo(1);
            assertThat(two.offer(1, MessageTypes.VOTE, 6, new UnsafeBuffer(new byte[]{ 3 }), 0, 1)).isTrue();
            assertThat(one.poll(received, 10)).isEqualTo(1);

            assertThat(received.messages.get(0).source()).isEqualTo(1);
            assertThat(received.messages.get(0).body()).containsExactly(1, 2);
            assertThat(received.messages.get(1).source()).isEqualTo(2);
            assertThat(received.messages.get(1).correlationId()).isEqualTo(6);
            assertThat(Files.size(directory.resolve(InboxFileDescriptor.fileName(1))))
                .isGreaterThanOrEqualTo(
                    InboxFileDescriptor.HEADER_LENGTH + INBOX_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH);
        }
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void shouldUnmapEveryInboxWhenTheNetworksClose() throws IOException
    {
        for (int round = 0; round < 3; round++)
        {
            try (MappedFileNetwork first = network(); MappedFileNetwork second = network())
            {
                final SharedMemoryTransport one = first.newTransport(1);
                second.newTransport(2);
                assertThat(one.offer(2, MessageTypes.HEARTBEAT, 5, new UnsafeBuffer(new byte[]{ 1 }), 0, 1)).isTrue();
                assertThat(mappingsOf(directory)).as("round %d maps both inboxes", round).isPositive();
            }
            assertThat(mappingsOf(directory)).as("mappings left after round %d", round).isZero();
        }
    }

    private static long mappingsOf(final Path dir) throws IOException
    {
        final String prefix = dir.toRealPath().toString();
        try (var lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return lines.filter(line -> line.contains(prefix)).count();
        }
    }

    @Test
    void shouldRefuseOffersToAMissingPeerAndFindItOnceItAppears() throws IOException
    {
        try (MappedFileNetwork first = network(); MappedFileNetwork second = network())
        {
            final SharedMemoryTransport one = first.newTransport(1);
            final UnsafeBuffer body = new UnsafeBuffer(new byte[8]);
            assertThat(one.offer(2, MessageTypes.HEARTBEAT, 1, body, 0, 8)).isFalse();

            final SharedMemoryTransport two = second.newTransport(2);
            assertThat(one.offer(2, MessageTypes.HEARTBEAT, 2, body, 0, 8)).as("before the retry interval").isFalse();
            clock.advance(1_000);
            assertThat(one.offer(2, MessageTypes.HEARTBEAT, 3, body, 0, 8)).isTrue();

            final Received received = new Received();
            two.poll(received, 10);
            assertThat(received.messages).extracting(Received.Message::correlationId).containsExactly(3L);
        }
    }

    @Test
    void shouldFollowAPeerThatRestartsWithANewFile() throws IOException
    {
        try (MappedFileNetwork first = network(); MappedFileNetwork second = network())
        {
            final SharedMemoryTransport one = first.newTransport(1);
            final UnsafeBuffer body = new UnsafeBuffer(new byte[8]);
            SharedMemoryTransport two = second.newTransport(2);
            assertThat(one.offer(2, MessageTypes.HEARTBEAT, 1, body, 0, 8)).isTrue();

            try (MappedFileNetwork restarted = network())
            {
                final SharedMemoryTransport again = restarted.newTransport(2);
                assertThat(two.poll(new Received(), 10)).as("the old inbox still reads").isEqualTo(1);

                assertThat(one.offer(2, MessageTypes.HEARTBEAT, 3, body, 0, 8)).as("remapped at once").isTrue();
                final Received received = new Received();
                again.poll(received, 10);
                assertThat(received.messages).extracting(Received.Message::correlationId).containsExactly(3L);

                two.close();
                assertThat(directory.resolve(InboxFileDescriptor.fileName(2))).as("the new run's file stays").exists();
            }
        }
    }

    @Test
    void shouldRefuseAnInboxFileWithAnotherLayout() throws IOException
    {
        Files.write(directory.resolve(InboxFileDescriptor.fileName(2)), new byte[64 * 1024]);
        try (MappedFileNetwork first = network())
        {
            final SharedMemoryTransport one = first.newTransport(1);

            assertThat(one.offer(2, MessageTypes.HEARTBEAT, 1, new UnsafeBuffer(new byte[8]), 0, 8)).isFalse();
        }
    }

    @Test
    void shouldRefuseAMissingDirectory()
    {
        assertThatThrownBy(() -> new MappedFileNetwork(new SharedMemoryContext().directory(directory.resolve("no"))))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("must be an existing directory");
    }

    @Test
    void shouldExchangeMessagesWithAnotherProcess() throws Exception
    {
        final int count = 20_000;
        final SplittableRandom random = new SplittableRandom(SEED);
        final Path stderr = directory.resolve("child.stderr");
        final Process child = startEchoNode(count, stderr);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        try (MappedFileNetwork parent = new MappedFileNetwork(new SharedMemoryContext().directory(directory)
            .inboxCapacity(INBOX_CAPACITY).peerRetryIntervalNs(TimeUnit.MILLISECONDS.toNanos(1))))
        {
            final SharedMemoryTransport one = parent.newTransport(1);
            final byte[][] sent = new byte[count][];
            final UnsafeBuffer body = new UnsafeBuffer(new byte[256]);
            final int[] answers = new int[1];
            int offered = 0;
            while (answers[0] < count)
            {
                if (offered < count)
                {
                    final int length = 1 + random.nextInt(256);
                    random.nextBytes(body.byteArray());
                    if (one.offer(2, MessageTypes.GET_CHUNK_REQUEST, offered + 1, body, 0, length))
                    {
                        sent[offered++] = Arrays.copyOf(body.byteArray(), length);
                    }
                }
                one.poll((src, type, correlationId, buffer, offset, length) ->
                {
                    final int index = answers[0]++;
                    assertThat(src).isEqualTo(2);
                    assertThat(type).isEqualTo(MessageTypes.GET_CHUNK_REQUEST);
                    assertThat(correlationId).as("answers come in order").isEqualTo(index + 1);
                    assertThat(length).isEqualTo(sent[index].length);
                    for (int i = 0; i < length; i++)
                    {
                        if (buffer.getByte(offset + i) != (byte)~sent[index][i])
                        {
                            fail("seed=" + SEED + ": answer " + index + " differs at byte " + i);
                        }
                    }
                }, 64);
                if (System.nanoTime() - deadlineNs > 0 || !child.isAlive() && answers[0] < count && offered == 0)
                {
                    fail("offered " + offered + ", answered " + answers[0] + " of " + count + "; child alive=" +
                        child.isAlive() + "; stderr: " + Files.readString(stderr));
                }
            }
            assertThat(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("child exits").isTrue();
            assertThat(child.exitValue()).as("child exit status; stderr: %s", Files.readString(stderr)).isZero();
            assertThat(one.rejectedFrames()).isZero();
        }
        finally
        {
            child.destroyForcibly();
        }
    }

    private Process startEchoNode(final int count, final Path stderr) throws IOException
    {
        final String java = ProcessHandle.current().info().command()
            .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags());
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MappedFileEchoNode.class.getName());
        command.add(directory.toString());
        command.add("2");
        command.add("1");
        command.add(Integer.toString(count));
        command.add(Long.toString(TIMEOUT_SECONDS));
        return new ProcessBuilder(command).redirectError(stderr.toFile())
            .redirectOutput(directory.resolve("child.stdout").toFile()).start();
    }

    /**
     * @return the root pom's {@code rfs.jvm.flags}, which surefire passes as a system property; failing that, the
     * flags this JVM was started with.
     */
    private static List<String> jvmFlags()
    {
        final String flags = System.getProperty("rfs.jvm.flags");
        if (flags != null && !flags.isBlank())
        {
            return Arrays.asList(flags.trim().split("\\s+"));
        }
        final List<String> inherited = new ArrayList<>();
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access"))
            {
                inherited.add(argument);
            }
        }
        return inherited;
    }
}
