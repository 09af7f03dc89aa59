package io.rfs.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(300)
class StoreLockTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldRefuseASecondProcessWhileTheFirstHoldsTheDataDirectory() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final byte[] first = TestData.random(100_000, 1);
        final byte[] second = TestData.random(50_000, 2);
        final Process holder = rfs.start("put", "-q", "-", "held");
        try
        {
            try (OutputStream stdin = holder.getOutputStream())
            {
                stdin.write(first);
                stdin.flush();
                awaitLockHeldBy(rfs.data().resolve("LOCK"), holder);

                final RfsCli.Result refused = rfs.run("ls").expectExit(1);
                assertThat(refused.stderr())
                    .startsWith("rfs: data directory " + rfs.data())
                    .contains("in use by another rfs process (pid " + holder.pid() + ")");
                rfs.run("put", "-q", dir.resolve("nothing").toString()).expectExit(1);

                stdin.write(second);
            }
            assertThat(holder.waitFor(RfsCli.TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
            assertThat(holder.exitValue()).isZero();
        }
        finally
        {
            holder.destroyForcibly();
        }

        final byte[] held = rfs.run("get", "held", "-").expectExit(0).stdout();
        final byte[] expected = new byte[first.length + second.length];
        System.arraycopy(first, 0, expected, 0, first.length);
        System.arraycopy(second, 0, expected, first.length, second.length);
        assertThat(held).isEqualTo(expected);
    }

    /**
     * The store writes its owner's pid into LOCK once it holds the lock.
     */
    private static void awaitLockHeldBy(final Path lock, final Process holder) throws Exception
    {
        final String owner = "pid " + holder.pid();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(RfsCli.TIMEOUT_S);
        while (!(Files.exists(lock) && Files.readString(lock, StandardCharsets.UTF_8).trim().equals(owner)))
        {
            assertThat(holder.isAlive()).as("the process holding the store exited early").isTrue();
            assertThat(System.nanoTime()).as("LOCK never named " + owner).isLessThan(deadlineNs);
            Thread.sleep(20);
        }
    }
}
