package io.rfs.replication.transport.tcp;

import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.tcp.TcpTransportCounters.Counter;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * System test: the peer is a separate JVM ({@link TcpEchoNode}) that is killed with SIGKILL while this node streams
 * messages to it, then restarted on the same port. This node, which dials (it has the lower id), must notice the dead
 * connection, redial with backoff until the new process answers, and deliver everything offered after the reconnection
 * in order: the child echoes each message's sequence number back, and the echoes are checked one by one.
 * <p>
 * Runs on the real clock, since the other end is a real process; every wait is bounded by a real-time deadline.
 */
@Timeout(value = 120)
class TcpPeerProcessRestartTest implements MessageHandler
{
    private static final int TYPE = 100;
    private static final int LOCAL_ID = 1;
    private static final int CHILD_ID = 2;
    private static final int MESSAGE_LENGTH = 64;
    /** Messages offered but not yet echoed: few enough that neither end's send queue can fill. */
    private static final int WINDOW = 256;
    private static final long CHILD_TIMEOUT_SECONDS = 100;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int SIGKILL_EXIT_STATUS = 128 + 9;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path directory;

    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(MESSAGE_LENGTH));
    private final LongArrayList echoes = new LongArrayList();
    private final List<Throwable> errors = new ArrayList<>();
    private TcpTransport local;
    private long nextSequence;
    private long windowBaseSequence;
    private int windowBaseEchoes;

    @Test
    void shouldReconnectWithBackoffAndResumeInOrderAfterPeerProcessIsKilledAndRestarted() throws Exception
    {
        local = new TcpTransport(new TcpTransportContext()
            .nodeId(LOCAL_ID)
            .listenAddress(TestNode.ANY_PORT)
            .clusterSecret(TestNode.SECRET)
            .messageAuthorizer(TestNode.AUTHORIZER)
            .nanoClock(new SystemNanoClock())
            .errorHandler(errors::add));
        Process child = null;
        try
        {
            child = startEchoNode(0, "first");
            final int childPort = readyPort(child, "first");
            local.addPeer(CHILD_ID, new InetSocketAddress("127.0.0.1", childPort));
            until("connected to the first child", () -> local.isConnected(CHILD_ID));

            until("a stream echoed by the first child", () ->
            {
                offerWindow();
                return echoes.size() >= 5_000;
            });
            offerWindow();

            child.toHandle().destroyForcibly();
            until("dead connection noticed", () ->
            {
                offerWindow();
                return !local.isConnected(CHILD_ID);
            });
            assertThat(child.waitFor(WAIT_NS, TimeUnit.NANOSECONDS)).as("killed child exits").isTrue();
            assertThat(child.exitValue()).as("exit status of a SIGKILLed JVM").isEqualTo(SIGKILL_EXIT_STATUS);
            assertThat(local.offer(CHILD_ID, TYPE, 0, message, 0, MESSAGE_LENGTH))
                .as("offer refused while the peer is down").isFalse();
            assertSequential(echoes, 0, echoes.size());
            windowBaseSequence = nextSequence;
            windowBaseEchoes = echoes.size();
            final long attemptsAtDisconnect = local.counters().get(Counter.CONNECT_ATTEMPTS);
            until("two redials refused while the peer is down", () ->
                local.counters().get(Counter.CONNECT_ATTEMPTS) >= attemptsAtDisconnect + 2);
            assertThat(local.isConnected(CHILD_ID)).isFalse();
            assertThat(local.counters().get(Counter.CONNECTIONS_ESTABLISHED)).isEqualTo(1);
            final long attemptsBeforeRestart = local.counters().get(Counter.CONNECT_ATTEMPTS);

            child = startEchoNode(childPort, "second");
            assertThat(readyPort(child, "second")).isEqualTo(childPort);
            until("reconnected to the restarted child", () -> local.isConnected(CHILD_ID));
            assertThat(local.counters().get(Counter.CONNECTIONS_ESTABLISHED)).isEqualTo(2);
            assertThat(local.counters().get(Counter.CONNECT_ATTEMPTS)).isGreaterThan(attemptsBeforeRestart);

            final int echoedBeforeRestart = echoes.size();
            final long resumeFrom = nextSequence;
            final int resumed = 20_000;
            until("the resumed stream echoed", () ->
            {
                offerWindow(resumeFrom + resumed);
                return echoes.size() - echoedBeforeRestart == resumed;
            });
            for (int i = 0; i < resumed; i++)
            {
                assertThat(echoes.getLong(echoedBeforeRestart + i)).as("echo %d after the restart", i)
                    .isEqualTo(resumeFrom + i);
            }
            assertThat(local.counters().get(Counter.CONNECTIONS_ESTABLISHED)).as("no further reconnection")
                .isEqualTo(2);
            assertThat(child.isAlive()).as("restarted child still serving; stderr: %s", stderr("second")).isTrue();
        }
        finally
        {
            if (child != null)
            {
                child.toHandle().destroyForcibly();
                child.waitFor(WAIT_NS, TimeUnit.NANOSECONDS);
            }
            local.close();
        }
    }

    @Override
    public void onMessage(
        final int sourceNodeId,
        final int messageType,
        final long correlationId,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        assertThat(sourceNodeId).isEqualTo(CHILD_ID);
        assertThat(buffer.getLong(offset)).as("body carries the sequence too").isEqualTo(correlationId);
        echoes.addLong(correlationId);
    }

    private void offerWindow()
    {
        offerWindow(Long.MAX_VALUE);
    }

    /**
     * Offers the next sequence numbers, below {@code limit}, while fewer than {@link #WINDOW} are unanswered on the
     * current connection, then steps the transport once. Offers refused (peer down) are simply not counted.
     */
    private void offerWindow(final long limit)
    {
        final long echoed = echoes.size() - windowBaseEchoes;
        while (nextSequence < limit && (nextSequence - windowBaseSequence) - echoed < WINDOW)
        {
            message.putLong(0, nextSequence);
            if (!local.offer(CHILD_ID, TYPE, nextSequence, message, 0, MESSAGE_LENGTH))
            {
                break;
            }
            nextSequence++;
        }
        step();
    }

    private int step()
    {
        return local.doWork() + local.poll(this, 1000);
    }

    private void until(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out waiting for: " + what + "; counters: " + local.counters() + "; errors: " + errors);
            }
            step();
        }
    }

    private static void assertSequential(final LongArrayList values, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            assertThat(values.getLong(i)).as("echo %d", i).isEqualTo(i);
        }
    }

    private Process startEchoNode(final int port, final String name) throws IOException
    {
        final String java = ProcessHandle.current().info().command()
            .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags());
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TcpEchoNode.class.getName());
        command.add(Integer.toString(CHILD_ID));
        command.add(Integer.toString(port));
        command.add(Integer.toString(LOCAL_ID));
        command.add(Integer.toString(local.boundAddress().getPort()));
        command.add(Long.toString(CHILD_TIMEOUT_SECONDS));
        return new ProcessBuilder(command).redirectError(directory.resolve(name + ".stderr").toFile()).start();
    }

    /**
     * Blocks until the child prints {@code ready <port>}; the class timeout bounds the wait.
     */
    private int readyPort(final Process child, final String name) throws IOException
    {
        final BufferedReader reader =
            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
        final String line = reader.readLine();
        if (line == null || !line.startsWith("ready "))
        {
            fail("child " + name + " did not start: " + line + "; stderr: " + stderr(name));
        }
        return Integer.parseInt(line.substring("ready ".length()).trim());
    }

    private String stderr(final String name)
    {
        try
        {
            return Files.readString(directory.resolve(name + ".stderr"));
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex + ")";
        }
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
