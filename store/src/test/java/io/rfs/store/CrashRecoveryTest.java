package io.rfs.store;

import io.rfs.store.log.RecoveryReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Crash tests with real JVMs: a {@link CrashWorker} writes to a store until it is killed with SIGKILL at a
 * random point, then this JVM reopens the store and checks that every acknowledged write is there, byte for byte,
 * that nothing half written shows, that recovery cut exactly the torn tail the files held, and that the store
 * takes new writes. Every round reuses the directory, so recovery also runs over a store that was recovered
 * before.
 * <p>
 * The kill points come from a seed, printed with the data directory at the start of each test; run again with
 * {@code -Drfs.crash.seed=<seed>} to choose the same points (the worker's timing still varies). A failed test keeps
 * its directory, worker stderr included.
 */
class CrashRecoveryTest
{
    private static final long ROUND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long EXIT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long FIRST_COMPACTION_GUESS_NS = TimeUnit.MILLISECONDS.toNanos(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private long seed;
    private CrashLedger ledger;
    private int round;
    private int tornTails;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReadBackEveryAcknowledgedPutAfterEachSigkill(final TestInfo test) throws Throwable
    {
        keepingEvidence(test, CrashWorker.Mode.PUT, random ->
        {
            for (int i = 0; i < 4; i++)
            {
                final int acks = random.nextInt(10, 80);
                final long delayNs = random.nextLong(TimeUnit.MILLISECONDS.toNanos(3));
                crashAndRecover(CrashWorker.Mode.PUT, "after " + acks + " acks", () -> ledger.roundAcks() >= acks,
                    () -> delayNs, random);
            }
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldServeTheAcknowledgedOrAStartedNewerVersionAfterSigkillDuringOverwrites(final TestInfo test)
        throws Throwable
    {
        keepingEvidence(test, CrashWorker.Mode.OVERWRITE, random ->
        {
            for (int i = 0; i < 3; i++)
            {
                final int acks = random.nextInt(10, 80);
                final long delayNs = random.nextLong(TimeUnit.MILLISECONDS.toNanos(3));
                crashAndRecover(CrashWorker.Mode.OVERWRITE, "after " + acks + " acks",
                    () -> ledger.roundAcks() >= acks, () -> delayNs, random);
            }
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldKeepEveryLiveFileWhenKilledDuringCompaction(final TestInfo test) throws Throwable
    {
        keepingEvidence(test, CrashWorker.Mode.COMPACT, random ->
        {
            int killedCompacting = 0;
            for (int i = 0; i < 4 || (killedCompacting == 0 && i < 8); i++)
            {
                if (i == 0)
                {
                    final int acks = random.nextInt(5, 35);
                    crashAndRecover(CrashWorker.Mode.COMPACT, "after " + acks + " acks",
                        () -> ledger.roundAcks() >= acks, () -> 0, random);
                }
                else
                {
                    final int compactions = random.nextInt(1, 4);
                    final double fraction = random.nextDouble();
                    crashAndRecover(
                        CrashWorker.Mode.COMPACT,
                        String.format("%.2f of a compaction after COMPACTING #%d", fraction, compactions),
                        () -> ledger.roundCompactions() >= compactions,
                        () -> (long)(fraction * (ledger.lastCompactionNs() > 0 ?
                            ledger.lastCompactionNs() : FIRST_COMPACTION_GUESS_NS)),
                        random);
                }
                if (ledger.isCompacting())
                {
                    killedCompacting++;
                }
            }
            System.out.println("killed inside compact() in " + killedCompacting + " rounds");
            assertThat(killedCompacting).as("rounds killed between COMPACTING and COMPACTED").isPositive();
            assertThat(ledger.totalDeletes()).isPositive();
        });
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldLoseNothingAndBringNothingDroppedBackWhenKilledDuringSteppedCompaction(final TestInfo test)
        throws Throwable
    {
        keepingEvidence(test, CrashWorker.Mode.STEP, random -> killDuringSteppedCompaction(random, 2));
    }

    @Test
    @Tag("slow")
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void shouldLoseNothingAndBringNothingDroppedBackOverManyKillsDuringSteppedCompaction(final TestInfo test)
        throws Throwable
    {
        keepingEvidence(test, CrashWorker.Mode.STEP, random ->
        {
            final int killedRetiring = killDuringSteppedCompaction(random, 40);
            assertThat(killedRetiring).as("rounds killed between FINISHING and RELEASED").isPositive();
        });
    }

    /**
     * Rounds of {@link CrashWorker.Mode#STEP}, killed alternately after some acknowledged puts and just after a
     * stepped compaction reached its finish (inside the finish, or while retired files are being freed).
     *
     * @return how many rounds were killed between a FINISHING line and its RELEASED.
     */
    private int killDuringSteppedCompaction(final SplittableRandom random, final int rounds) throws Exception
    {
        int killedRetiring = 0;
        for (int i = 0; i < rounds; i++)
        {
            if (i % 2 == 0)
            {
                final int acks = random.nextInt(5, 40);
                final long delayNs = random.nextLong(TimeUnit.MILLISECONDS.toNanos(3));
                crashAndRecover(CrashWorker.Mode.STEP, "after " + acks + " acks", () -> ledger.roundAcks() >= acks,
                    () -> delayNs, random);
            }
            else
            {
                final int finishes = random.nextInt(1, 4);
                final long delayNs = random.nextLong(TimeUnit.MILLISECONDS.toNanos(2));
                crashAndRecover(CrashWorker.Mode.STEP, "after FINISHING #" + finishes,
                    () -> ledger.roundFinishes() >= finishes, () -> delayNs, random);
            }
            if (ledger.isRetiring())
            {
                killedRetiring++;
            }
        }
        System.out.printf("killed between FINISHING and RELEASED in %d of %d rounds; %d drops acknowledged%n",
            killedRetiring, rounds, ledger.totalDrops());
        assertThat(ledger.totalDrops()).as("drops acknowledged").isPositive();
        return killedRetiring;
    }

    /**
     * One round: start a worker on the shared directory, kill it with SIGKILL once {@code killPoint} holds and
     * {@code delayNs} more have passed, then reopen the store here and check it.
     */
    private void crashAndRecover(
        final CrashWorker.Mode mode,
        final String killPointText,
        final BooleanSupplier killPoint,
        final LongSupplier delayNs,
        final SplittableRandom random) throws Exception
    {
        final Path data = dir.resolve("data");
        ledger.startRound();
        final int firstIndex = ledger.nextIndex();
        try (CrashWorkerProcess worker = CrashWorkerProcess.start(
            mode, data, seed, firstIndex, dir.resolve("worker-" + round)))
        {
            final long deadlineNs = System.nanoTime() + ROUND_TIMEOUT_NS;
            while (!killPoint.getAsBoolean())
            {
                final String line = worker.nextLine(deadlineNs);
                if (line == null)
                {
                    fail("worker pid " + worker.pid() + " ended before it was killed; stderr: " + worker.stderr());
                }
                ledger.onLine(line);
            }
            final long delay = delayNs.getAsLong();
            if (!worker.isAliveAfter(delay))
            {
                fail("worker pid " + worker.pid() + " ended before it was killed; stderr: " + worker.stderr());
            }
            assertThat(worker.kill(EXIT_TIMEOUT_NS)).as("exit status of worker pid %d", worker.pid())
                .isEqualTo(CrashWorkerProcess.SIGKILL_EXIT_STATUS);
            worker.drain(deadlineNs).forEach(ledger::onLine);
            System.out.printf("round %d: puts from %d, killed %s + %d us: %d acks%s%n", round, firstIndex,
                killPointText, TimeUnit.NANOSECONDS.toMicros(delay), ledger.roundAcks(),
                ledger.isCompacting() ? ", inside compact()" : "");
        }
        assertRecovered(data, mode, random);
        round++;
    }

    private void assertRecovered(final Path data, final CrashWorker.Mode mode, final SplittableRandom random)
        throws IOException
    {
        final SegmentFiles.State chunks = SegmentFiles.inspect(data.resolve("chunks"));
        final SegmentFiles.State manifests = SegmentFiles.inspect(data.resolve("manifests"));
        assertThat(chunks.unsealedOlder()).as("chunk segments left unsealed before the newest").isEmpty();
        assertThat(manifests.unsealedOlder()).as("manifest segments left unsealed before the newest").isEmpty();
        if (chunks.tornBytes() + manifests.tornBytes() > 0)
        {
            tornTails++;
            System.out.printf("round %d: torn tail of %d bytes at %s+%d, %d bytes at %s+%d%n", round,
                chunks.tornBytes(), chunks.newest(), chunks.end(), manifests.tornBytes(), manifests.newest(),
                manifests.end());
        }

        final String ownName = "own/after-round-" + round;
        final byte[] ownContent = CrashWorker.content(random.nextLong(), round);
        try (LocalFileStore store = LocalFileStore.open(CrashWorker.context(mode, data)))
        {
            assertRecoveryCut(store.chunkStore().recoveryReport(), chunks, "chunk log");
            assertRecoveryCut(store.manifestStore().recoveryReport(), manifests, "manifest log");
            assertThat(store.manifestStore().corruptRecords()).isZero();
            assertThat(store.chunkStore().quarantined()).isEmpty();
            assertTailClean(data.resolve("chunks"));
            assertTailClean(data.resolve("manifests"));
            assertNoRetiredFiles(data.resolve("chunks"));
            assertNoRetiredFiles(data.resolve("manifests"));

            ledger.assertRecovered(store);
            assertVerifyClean(store);

            CrashLedger.put(store, ownName, ownContent);
            ledger.ownPut(ownName, ownContent);
        }
        try (LocalFileStore store = LocalFileStore.open(CrashWorker.context(mode, data)))
        {
            assertThat(store.chunkStore().recoveryReport().tornTailBytes()).isZero();
            assertThat(store.manifestStore().recoveryReport().tornTailBytes()).isZero();
            assertThat(CrashLedger.readSha256(store, ownName)).as("a put after recovery survives a reopen")
                .isEqualTo(CrashLedger.sha256(ownContent));
            assertVerifyClean(store);
        }
    }

    private static void assertRecoveryCut(
        final RecoveryReport report, final SegmentFiles.State before, final String what)
    {
        assertThat(report.tornTailBytes()).as("%s: torn tail bytes recovery cut, as the files held them", what)
            .isEqualTo(before.tornBytes());
        assertThat(report.corruptRegions()).as("%s: corrupt regions (a SIGKILL leaves none)", what).isZero();
        assertThat(report.segments()).as("%s: segments recovery read", what).isEqualTo(before.segments());
        assertThat(report.records()).as("%s: records recovery kept", what).isEqualTo(before.records());
    }

    private static void assertTailClean(final Path logDirectory) throws IOException
    {
        final SegmentFiles.State after = SegmentFiles.inspect(logDirectory);
        assertThat(after.tornBytes()).as("non-zero bytes after the write position of %s", after.newest()).isZero();
        assertThat(after.unsealedOlder()).isEmpty();
    }

    private static void assertNoRetiredFiles(final Path logDirectory) throws IOException
    {
        try (Stream<Path> files = Files.list(logDirectory))
        {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".retired")))
                .as("retired segment files left in %s after open", logDirectory).isEmpty();
        }
    }

    private static void assertVerifyClean(final LocalFileStore store) throws IOException
    {
        final VerifyReport report = store.verify(List.of(), TransferListener.NONE);
        assertThat(report.problems()).as("verify problems").isEmpty();
        assertThat(report.files()).isEqualTo(store.list("").size());
    }

    /**
     * Runs a test body with its seed, and on failure says how to replay it and where its directory was kept.
     */
    private void keepingEvidence(final TestInfo test, final CrashWorker.Mode mode, final Body body)
        throws Throwable
    {
        seed = Long.getLong("rfs.crash.seed", new SplittableRandom().nextLong());
        ledger = new CrashLedger(seed, mode);
        final String name = test.getTestMethod().map(m -> m.getName()).orElse(test.getDisplayName());
        System.out.println(name + ": seed=" + seed + " directory=" + dir);
        final long startNs = System.nanoTime();
        try
        {
            body.run(new SplittableRandom(seed));
        }
        catch (final Throwable t)
        {
            final String message = name + " failed in round " + round + " with seed=" + seed +
                " (replay with -Drfs.crash.seed=" + seed + "); directory and worker stderr kept in " + dir;
            System.err.println(message);
            throw new AssertionError(message, t);
        }
        System.out.printf("%s: %d rounds, %d acknowledged puts, %d deletes, %d torn tails cut, %d ms%n", name,
            round, ledger.totalAcks(), ledger.totalDeletes(), tornTails,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
    }

    @FunctionalInterface
    private interface Body
    {
        void run(SplittableRandom random) throws Exception;
    }
}
