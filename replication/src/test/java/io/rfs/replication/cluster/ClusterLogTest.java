package io.rfs.replication.cluster;

import io.rfs.replication.protocol.AppendEntriesDecoder;
import io.rfs.replication.protocol.AppendEntriesEncoder;
import io.rfs.replication.protocol.LogEntryDescriptor;
import io.rfs.store.CorruptStoreException;
import io.rfs.store.log.Disk;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static io.rfs.replication.protocol.LogEntryDescriptor.TYPE_ADD_NODE;
import static io.rfs.replication.protocol.LogEntryDescriptor.TYPE_NOOP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterLogTest
{
    @TempDir
    Path directory;

    private final List<String> committed = new ArrayList<>();
    private final UnsafeBuffer body = new UnsafeBuffer(new byte[8192]);

    private ClusterLog open() throws IOException
    {
        return ClusterLog.open(directory, new Disk(), (index, term, type, payload, offset, length) ->
            committed.add(index + "@" + term + ":" + payload.getStringWithoutLengthUtf8(offset, length)));
    }

    private static UnsafeBuffer text(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    private long append(final ClusterLog log, final long term, final String payload) throws IOException
    {
        final UnsafeBuffer bytes = text(payload);
        return log.append(term, TYPE_ADD_NODE, bytes, 0, bytes.capacity());
    }

    private AppendEntriesDecoder request(final long term, final long prevIndex, final long prevTerm,
        final long[] terms, final String... payloads) throws Exception
    {
        final AppendEntriesEncoder encoder = new AppendEntriesEncoder().wrap(body, 0).term(term)
            .prevLogIndex(prevIndex).prevLogTerm(prevTerm).leaderId(1);
        for (int i = 0; i < payloads.length; i++)
        {
            final UnsafeBuffer bytes = text(payloads[i]);
            encoder.addEntry(terms[i], TYPE_ADD_NODE, bytes, 0, bytes.capacity());
        }
        return new AppendEntriesDecoder().wrap(body, 0, encoder.encodedLength());
    }

    @Test
    void shouldAppendCommitInOrderAndRecoverEveryEntryAfterAReopen() throws IOException
    {
        try (ClusterLog log = open())
        {
            assertThat(log.lastIndex()).isEqualTo(-1);
            assertThat(log.lastTerm()).isZero();
            assertThat(log.append(1, TYPE_NOOP, body, 0, 0)).isZero();
            assertThat(append(log, 1, "a")).isEqualTo(1);
            assertThat(append(log, 2, "bb")).isEqualTo(2);
            assertThat(log.commit(1)).isEqualTo(2);
            assertThat(log.commit(0)).as("never moves back").isZero();
            assertThat(log.commit(99)).as("capped at the last index").isEqualTo(1);
        }
        assertThat(committed).containsExactly("0@1:", "1@1:a", "2@2:bb");

        try (ClusterLog log = open())
        {
            assertThat(log.lastIndex()).isEqualTo(2);
            assertThat(log.lastTerm()).isEqualTo(2);
            assertThat(log.termAt(1)).isEqualTo(1);
            assertThat(log.entry(2).payload().getStringWithoutLengthUtf8(0, 2)).isEqualTo("bb");
            assertThat(log.commitIndex()).as("learnt again from the leader").isEqualTo(-1);
            assertThat(log.recoveredTailBytes()).isZero();
        }
    }

    @Test
    void shouldCutATornAppendOnRecovery() throws IOException
    {
        try (ClusterLog log = open())
        {
            append(log, 1, "kept");
            append(log, 1, "torn");
        }
        final Path file = directory.resolve(ClusterLog.FILE_NAME);
        final long size = Files.size(file);
        try (var channel = Files.newByteChannel(file, StandardOpenOption.WRITE))
        {
            channel.truncate(size - 5);
        }

        try (ClusterLog log = open())
        {
            assertThat(log.lastIndex()).isZero();
            assertThat(log.recoveredTailBytes()).isEqualTo(size - 5 - (ClusterLogFileDescriptor.FILE_HEADER_LENGTH +
                ClusterLogFileDescriptor.RECORD_HEADER_LENGTH + LogEntryDescriptor.encodedLength(4)));
            assertThat(append(log, 3, "next")).isEqualTo(1);
        }
        try (ClusterLog log = open())
        {
            assertThat(log.lastIndex()).isEqualTo(1);
            assertThat(log.lastTerm()).isEqualTo(3);
        }
    }

    @Test
    void shouldRefuseAFileThatIsNotAClusterLog() throws IOException
    {
        Files.writeString(directory.resolve(ClusterLog.FILE_NAME), "not a log at all, just text");

        assertThatThrownBy(this::open).isInstanceOf(CorruptStoreException.class).hasMessageContaining("bad header");
    }

    @Test
    void shouldRefuseEntriesWhosePreviousEntryDoesNotMatchAndHintWhereToRetry() throws Exception
    {
        try (ClusterLog log = open())
        {
            append(log, 1, "a");
            append(log, 1, "b");

            assertThat(log.appendFrom(request(3, 5, 2, new long[]{ 3 }, "x"))).isFalse();
            assertThat(log.appendResult()).as("retry after my last index").isEqualTo(1);
            assertThat(log.appendFrom(request(3, 1, 2, new long[]{ 3 }, "x"))).isFalse();
            assertThat(log.appendResult()).as("retry before the mismatch").isZero();
            assertThat(log.lastIndex()).isEqualTo(1);
        }
    }

    @Test
    void shouldReplaceAConflictingSuffixButKeepEntriesOnARepeatedOrStaleRequest() throws Exception
    {
        try (ClusterLog log = open())
        {
            append(log, 1, "a");
            append(log, 1, "old-b");
            append(log, 1, "old-c");

            assertThat(log.appendFrom(request(2, 0, 1, new long[]{ 2 }, "new-b"))).isTrue();
            assertThat(log.appendResult()).isEqualTo(1);
            assertThat(log.lastIndex()).as("the conflicting suffix is gone").isEqualTo(1);
            assertThat(log.termAt(1)).isEqualTo(2);

            assertThat(log.appendFrom(request(2, 1, 2, new long[]{ 2 }, "c"))).isTrue();
            assertThat(log.appendFrom(request(2, 0, 1, new long[]{ 2 }, "new-b"))).as("late duplicate").isTrue();
            assertThat(log.appendResult()).isEqualTo(1);
            assertThat(log.lastIndex()).as("a stale request removes nothing").isEqualTo(2);
        }
        try (ClusterLog log = open())
        {
            assertThat(log.lastIndex()).isEqualTo(2);
            assertThat(log.entry(1).payload().getStringWithoutLengthUtf8(0, 5)).isEqualTo("new-b");
            assertThat(log.entry(2).term()).isEqualTo(2);
        }
    }

    @Test
    void shouldJudgeWhichLogIsMoreUpToDate() throws IOException
    {
        try (ClusterLog log = open())
        {
            assertThat(log.isAtLeastAsUpToDate(0, -1)).as("both empty").isTrue();
            append(log, 2, "a");
            append(log, 2, "b");

            assertThat(log.isAtLeastAsUpToDate(2, 1)).isTrue();
            assertThat(log.isAtLeastAsUpToDate(2, 0)).as("same term, shorter").isFalse();
            assertThat(log.isAtLeastAsUpToDate(3, 0)).as("later term, shorter").isTrue();
            assertThat(log.isAtLeastAsUpToDate(1, 9)).as("earlier term, longer").isFalse();
        }
    }
}
