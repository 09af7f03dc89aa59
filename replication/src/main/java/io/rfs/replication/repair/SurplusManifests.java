package io.rfs.replication.repair;

import io.rfs.store.manifest.Version;

/**
 * The rule by which the leader's {@link ManifestRepair} deletes the manifests a ring change leaves behind: a node of
 * the ring that holds a name whose range it does not own (an old owner after {@code add-node}, {@code remove-node}
 * or {@code NODE_GONE}) is told to drop it only once <b>every</b> owner of the range listed that name at a version
 * at least as new as the one the node listed. A tombstone counts as a version like any other, on either side: a
 * node's tombstone goes once the owners hold it or something newer, and the node drops every version it holds of the
 * name, never the newest alone, so no older version can come back. An owner that did not list (down, not
 * answering, another ring) leaves the whole range undropped, and a name some owner lacks or holds older is copied to
 * it first and dropped in a later round.
 * <p>
 * Stateless. {@code versions} holds a range listing's versions of one name: the owners' first ({@code ownerCount}
 * of them), then the holders'; null where a node does not hold the name.
 */
final class SurplusManifests
{
    private SurplusManifests()
    {
    }

    /**
     * @param versions   the listing's versions of a name: owners first, then holders.
     * @param ownerCount how many of the first entries are owners; every owner of the range must be among them.
     * @param holder     a holder's index, at least {@code ownerCount}.
     * @return true if the holder may drop the name: it holds it and every owner holds it at that version or newer.
     */
    static boolean mayDrop(final Version[] versions, final int ownerCount, final int holder)
    {
        final Version held = versions[holder];
        if (holder < ownerCount || held == null)
        {
            return false;
        }
        for (int k = 0; k < ownerCount; k++)
        {
            if (versions[k] == null || held.isNewerThan(versions[k]))
            {
                return false;
            }
        }
        return true;
    }
}
