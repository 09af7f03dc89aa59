package io.rfs.replication.client;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps how each write ended and fails the test if one ends twice.
 */
final class WriteRecorder implements WriteListener
{
    final Map<Long, Integer> written = new HashMap<>();
    final Map<Long, QuorumWriteException> failed = new HashMap<>();

    @Override
    public void onWritten(final long writeId, final int acknowledgements)
    {
        assertNotEnded(writeId);
        written.put(writeId, acknowledgements);
    }

    @Override
    public void onFailed(final long writeId, final QuorumWriteException failure)
    {
        assertNotEnded(writeId);
        failed.put(writeId, failure);
    }

    boolean hasEnded(final long writeId)
    {
        return written.containsKey(writeId) || failed.containsKey(writeId);
    }

    int ended()
    {
        return written.size() + failed.size();
    }

    private void assertNotEnded(final long writeId)
    {
        assertThat(hasEnded(writeId)).as("write %s ended twice", writeId).isFalse();
    }
}
