package io.rfs.replication.transport.shm;

import io.rfs.replication.transport.MessageHandler;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Records what a transport delivers, copying each body.
 */
final class Received implements MessageHandler
{
    record Message(int source, int type, long correlationId, byte[] body)
    {
    }

    final List<Message> messages = new ArrayList<>();

    @Override
    public void onMessage(
        final int sourceNodeId, final int messageType, final long correlationId, final DirectBuffer buffer,
        final int offset, final int length)
    {
        final byte[] body = new byte[length];
        buffer.getBytes(offset, body);
        messages.add(new Message(sourceNodeId, messageType, correlationId, body));
    }
}
