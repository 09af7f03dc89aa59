package io.rfs.replication.transport.tcp;

import io.rfs.replication.transport.PeerRole;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The identity a TLS peer's certificate names: {@code node-<id>} for a node, {@code client-<id>} for a client,
 * written as a DNS subject alternative name or, when the certificate has no DNS names, as the subject's common name
 * (RFC 6125 order). A certificate naming no identity, or more than one, names none. The chain itself (trust anchor,
 * validity dates) is checked by the JDK's trust manager during the TLS handshake, before this class is asked.
 *
 * @param role the peer's role.
 * @param id   its node or client id.
 */
record CertificateIdentity(PeerRole role, int id)
{
    static final String NODE_PREFIX = "node-";
    static final String CLIENT_PREFIX = "client-";
    private static final int DNS_NAME = 2;

    /**
     * @param role a role.
     * @param id   an id.
     * @return the name a certificate for them carries.
     */
    static String nameOf(final PeerRole role, final int id)
    {
        return (role == PeerRole.NODE ? NODE_PREFIX : CLIENT_PREFIX) + id;
    }

    /**
     * @param certificate a peer's leaf certificate.
     * @return the identity it names, or null if it names none or several.
     */
    static CertificateIdentity of(final X509Certificate certificate)
    {
        final List<String> names = dnsNames(certificate);
        if (names.isEmpty())
        {
            names.addAll(commonNames(certificate));
        }
        CertificateIdentity identity = null;
        for (final String name : names)
        {
            final CertificateIdentity parsed = parse(name);
            if (parsed != null)
            {
                if (identity != null && !identity.equals(parsed))
                {
                    return null;
                }
                identity = parsed;
            }
        }
        return identity;
    }

    /**
     * @param certificate a peer's leaf certificate.
     * @return its subject and DNS names, for an error message.
     */
    static String describe(final X509Certificate certificate)
    {
        return "subject=\"" + certificate.getSubjectX500Principal().getName() + "\" dnsNames=" + dnsNames(certificate);
    }

    static CertificateIdentity parse(final String name)
    {
        final PeerRole role;
        final String digits;
        if (name.startsWith(NODE_PREFIX))
        {
            role = PeerRole.NODE;
            digits = name.substring(NODE_PREFIX.length());
        }
        else if (name.startsWith(CLIENT_PREFIX))
        {
            role = PeerRole.CLIENT;
            digits = name.substring(CLIENT_PREFIX.length());
        }
        else
        {
            return null;
        }
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            return null;
        }
        final long id = Long.parseLong(digits);
        return id <= Integer.MAX_VALUE ? new CertificateIdentity(role, (int)id) : null;
    }

    private static List<String> dnsNames(final X509Certificate certificate)
    {
        final List<String> names = new ArrayList<>();
        try
        {
            final Collection<List<?>> alternativeNames = certificate.getSubjectAlternativeNames();
            if (alternativeNames != null)
            {
                for (final List<?> entry : alternativeNames)
                {
                    if (entry.size() >= 2 && entry.get(0) instanceof Integer type && type == DNS_NAME &&
                        entry.get(1) instanceof String name)
                    {
                        names.add(name);
                    }
                }
            }
        }
        catch (final CertificateParsingException ex)
        {
            return names;
        }
        return names;
    }

    private static List<String> commonNames(final X509Certificate certificate)
    {
        final List<String> names = new ArrayList<>();
        try
        {
            final LdapName subject = new LdapName(certificate.getSubjectX500Principal().getName());
            for (final Rdn rdn : subject.getRdns())
            {
                if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String name)
                {
                    names.add(name);
                }
            }
        }
        catch (final InvalidNameException ex)
        {
            return names;
        }
        return names;
    }
}
