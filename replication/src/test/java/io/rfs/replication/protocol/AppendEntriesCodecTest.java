package io.rfs.replication.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppendEntriesCodecTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);

    private int encodeTwoEntries(final int offset)
    {
        final UnsafeBuffer ring = new UnsafeBuffer(new byte[]{ 1, 2, 3, 4, 5 });
        return new AppendEntriesEncoder().wrap(buffer, offset).term(7).prevLogIndex(9).prevLogTerm(5)
            .leaderCommit(8).leaderId(3)
            .addEntry(6, LogEntryDescriptor.TYPE_NOOP, ring, 0, 0)
            .addEntry(7, LogEntryDescriptor.TYPE_ADD_NODE, ring, 0, 5)
            .encodedLength();
    }

    @Test
    void shouldRoundTripEntriesNumberedFromThePreviousIndex() throws Exception
    {
        final int length = encodeTwoEntries(16);

        final AppendEntriesDecoder decoder = new AppendEntriesDecoder().wrap(buffer, 16, length);

        assertThat(length).isEqualTo(AppendEntriesDescriptor.BLOCK_LENGTH + 24 + 32);
        assertThat(decoder.term()).isEqualTo(7);
        assertThat(decoder.prevLogIndex()).isEqualTo(9);
        assertThat(decoder.prevLogTerm()).isEqualTo(5);
        assertThat(decoder.leaderCommit()).isEqualTo(8);
        assertThat(decoder.leaderId()).isEqualTo(3);
        assertThat(decoder.entryCount()).isEqualTo(2);
        assertThat(decoder.entryIndex(0)).isEqualTo(10);
        assertThat(decoder.entryIndex(1)).isEqualTo(11);
        assertThat(decoder.entryTerm(1)).isEqualTo(7);
        assertThat(decoder.entryType(1)).isEqualTo(LogEntryDescriptor.TYPE_ADD_NODE);
        assertThat(decoder.entryPayloadLength(1)).isEqualTo(5);
        assertThat(buffer.getByte(decoder.entryPayloadOffset(1) + 4)).isEqualTo((byte)5);
    }

    @Test
    void shouldDefaultToAnEmptyLogAndNothingCommitted() throws Exception
    {
        final int length = new AppendEntriesEncoder().wrap(buffer, 0).term(1).leaderId(2).encodedLength();

        final AppendEntriesDecoder decoder = new AppendEntriesDecoder().wrap(buffer, 0, length);

        assertThat(decoder.prevLogIndex()).isEqualTo(-1);
        assertThat(decoder.leaderCommit()).isEqualTo(-1);
        assertThat(decoder.entryCount()).isZero();
    }

    @Test
    void shouldRefuseEntriesOutOfSequenceOrTermOrBody()
    {
        final int length = encodeTwoEntries(0);
        final int second = AppendEntriesDescriptor.BLOCK_LENGTH + 24;

        buffer.putLong(second + LogEntryDescriptor.INDEX_OFFSET, 13, BodyDescriptor.BYTE_ORDER);
        assertThatThrownBy(() -> new AppendEntriesDecoder().wrap(buffer, 0, length))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("entry[1].index=13 is outside 11..11");

        encodeTwoEntries(0);
        buffer.putLong(second + LogEntryDescriptor.TERM_OFFSET, 8, BodyDescriptor.BYTE_ORDER);
        assertThatThrownBy(() -> new AppendEntriesDecoder().wrap(buffer, 0, length))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("entry[1].term=8 is outside 6..7");

        encodeTwoEntries(0);
        buffer.putInt(second + LogEntryDescriptor.TYPE_OFFSET, 99, BodyDescriptor.BYTE_ORDER);
        assertThatThrownBy(() -> new AppendEntriesDecoder().wrap(buffer, 0, length))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("entry[1].type=99");

        encodeTwoEntries(0);
        assertThatThrownBy(() -> new AppendEntriesDecoder().wrap(buffer, 0, length - 8))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("entry[1]");

        encodeTwoEntries(0);
        buffer.putInt(AppendEntriesDescriptor.ENTRY_COUNT_OFFSET, 257, BodyDescriptor.BYTE_ORDER);
        assertThatThrownBy(() -> new AppendEntriesDecoder().wrap(buffer, 0, length))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("entryCount=257");
    }

    @Test
    void shouldRoundTripAppendResponse() throws Exception
    {
        final int length = new AppendResponseEncoder().wrap(buffer, 8).term(4).matchIndex(-1).success(true)
            .encodedLength();

        final AppendResponseDecoder decoder = new AppendResponseDecoder().wrap(buffer, 8, length);

        assertThat(decoder.term()).isEqualTo(4);
        assertThat(decoder.matchIndex()).isEqualTo(-1);
        assertThat(decoder.isSuccess()).isTrue();
        buffer.putByte(8 + AppendResponseDescriptor.SUCCESS_OFFSET, (byte)2);
        assertThatThrownBy(() -> new AppendResponseDecoder().wrap(buffer, 8, length))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("success=2");
    }

    @Test
    void shouldLetOnlyNodesSendThemAndLeaveTheLeaderCheckToTheNode()
    {
        assertThat(MessageTypes.isAllowedFrom(MessageTypes.APPEND_ENTRIES, MessageTypes.ROLE_CLIENT)).isFalse();
        assertThat(MessageTypes.isAllowedFrom(MessageTypes.APPEND_ENTRIES, MessageTypes.ROLE_NODE)).isTrue();
        assertThat(MessageTypes.requiresLeader(MessageTypes.APPEND_ENTRIES)).isTrue();
        assertThat(MessageTypes.responseType(MessageTypes.APPEND_ENTRIES)).isEqualTo(MessageTypes.APPEND_RESPONSE);
        assertThat(MessageTypes.isAllowedFrom(MessageTypes.APPEND_RESPONSE, MessageTypes.ROLE_CLIENT)).isFalse();
    }
}
