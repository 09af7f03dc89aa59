package io.rfs.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real full disk: a small file system mounted for the test (which needs root, as on the build machines). Where
 * mounting is not permitted the tests are reported as skipped, never as passed.
 */
@Timeout(300)
class DiskFullTest
{
    private static final int MIB = 1024 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldRefuseAPutThatDoesNotFitOnExt4AndKeepEarlierFiles() throws Exception
    {
        final Path image = dir.resolve("disk.img");
        final Path mountPoint = Files.createDirectories(dir.resolve("mnt"));
        try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "rw"))
        {
            raf.setLength(24L * MIB);
        }
        final Command mkfs = Command.run("mkfs.ext4", "-q", "-F", image.toString());
        assumeTrue(mkfs.exitCode == 0, () -> "mkfs.ext4 is not available: " + mkfs.output);
        final Command mount = Command.run("mount", "-o", "loop", image.toString(), mountPoint.toString());
        assumeTrue(mount.exitCode == 0, () -> "cannot loop-mount an ext4 image here: " + mount.output);
        try
        {
            fillTheDiskAndCheckNothingIsLost(mountPoint);
        }
        finally
        {
            unmount(mountPoint);
        }
    }

    @Test
    void shouldRefuseAPutThatDoesNotFitOnTmpfsAndKeepEarlierFiles() throws Exception
    {
        final Path mountPoint = Files.createDirectories(dir.resolve("mnt"));
        final Command mount = Command.run("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", mountPoint.toString());
        assumeTrue(mount.exitCode == 0, () -> "cannot mount a tmpfs here: " + mount.output);
        try
        {
            fillTheDiskAndCheckNothingIsLost(mountPoint);
        }
        finally
        {
            unmount(mountPoint);
        }
    }

    private void fillTheDiskAndCheckNothingIsLost(final Path mountPoint) throws Exception
    {
        final RfsCli rfs = new RfsCli(dir, mountPoint.resolve("data"));
        final byte[] first = TestData.writeRandom(dir.resolve("first"), 5 * MIB, 1);
        TestData.writeRandom(dir.resolve("too-big"), 40 * MIB, 2);
        rfs.run("put", "-q", dir.resolve("first").toString()).expectExit(0);

        final RfsCli.Result full = rfs.run("put", dir.resolve("too-big").toString()).expectExit(1);
        assertThat(full.stderr()).startsWith("rfs: no space left on the device").doesNotContain("\tat ");

        final Path out = dir.resolve("out");
        rfs.run("get", "-q", "first", out.toString()).expectExit(0);
        assertThat(Files.readAllBytes(out)).isEqualTo(first);
        assertThat(rfs.run("ls", "-q").expectExit(0).out().lines().toList())
            .singleElement()
            .satisfies((line) -> assertThat(line).startsWith("first "));
        rfs.run("verify", "-q").expectExit(0);
    }

    private static void unmount(final Path mountPoint) throws Exception
    {
        if (Command.run("umount", mountPoint.toString()).exitCode != 0)
        {
            Command.run("umount", "-l", mountPoint.toString());
        }
    }

    /**
     * A system command run to completion, its output captured.
     */
    private static final class Command
    {
        final int exitCode;
        final String output;

        private Command(final int exitCode, final String output)
        {
            this.exitCode = exitCode;
            this.output = output;
        }

        static Command run(final String... command) throws Exception
        {
            final Process process;
            try
            {
                process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            }
            catch (final IOException ex)
            {
                return new Command(-1, ex.getMessage());
            }
            process.getOutputStream().close();
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return new Command(-1, command[0] + " timed out");
            }
            return new Command(process.exitValue(), new String(output, StandardCharsets.UTF_8).trim());
        }
    }
}
