//! Which address a request comes from, for throttling sign-ins and registrations.
//!
//! Behind a reverse proxy every request arrives from the proxy, and the client's address is in
//! `X-Forwarded-For`, which each proxy appends to. Anything left of the last proxy's entry was
//! written by the client and can say anything, so the client is the *rightmost* address that is
//! not one of our proxies; and the header is read at all only when the request really comes
//! from one of them.

use std::net::IpAddr;

/// The most `X-Forwarded-For` entries read, from the right; a longer header is a client's doing.
pub const MAX_HOPS: usize = 16;

/// The proxies whose `X-Forwarded-For` is believed: addresses and CIDR ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Parses a comma-separated list such as `127.0.0.1, 10.0.0.0/8, ::1`. Empty: no proxy.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut ranges = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (address, prefix) = match item.split_once('/') {
                Some((address, prefix)) => (address, Some(prefix)),
                None => (item, None),
            };
            let address: IpAddr =
                address.parse().map_err(|_| format!("`{item}` is not an IP address or CIDR range"))?;
            let address = address.to_canonical();
            let max = if address.is_ipv4() { 32 } else { 128 };
            let prefix = match prefix {
                None => max,
                Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| format!("`{item}`: bad prefix"))?,
            };
            ranges.push((address, prefix));
        }
        Ok(TrustedProxies(ranges))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|(range, prefix)| in_range(ip, *range, *prefix))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the rightmost
    /// address in `X-Forwarded-For` that is not a trusted proxy. An entry that is not an address
    /// ends the walk (no proxy of ours writes one), and the last trusted hop stands in.
    pub fn client(&self, peer: IpAddr, forwarded: &[&str]) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.contains(client) {
            return client;
        }
        let hops = forwarded.iter().rev().flat_map(|header| header.rsplit(',')).take(MAX_HOPS);
        for hop in hops {
            match parse_hop(hop) {
                Some(address) => {
                    client = address;
                    if !self.contains(address) {
                        break;
                    }
                }
                None => break,
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, possibly `[v6]` or with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(address) = hop.parse::<IpAddr>() {
        return Some(address.to_canonical());
    }
    if let Ok(socket) = hop.parse::<std::net::SocketAddr>() {
        return Some(socket.ip().to_canonical());
    }
    hop.strip_prefix('[').and_then(|h| h.strip_suffix(']')).and_then(|h| h.parse::<IpAddr>().ok())
}

fn in_range(ip: IpAddr, range: IpAddr, prefix: u8) -> bool {
    match (ip, range) {
        (IpAddr::V4(ip), IpAddr::V4(range)) => {
            let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix)) };
            u32::from(ip) & mask == u32::from(range) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(range)) => {
            let mask = if prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(prefix)) };
            u128::from(ip) & mask == u128::from(range) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_a_trusted_proxy_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("203.0.113.9"), &["1.2.3.4"]), ip("203.0.113.9"));
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        // A client that connects directly cannot choose its address by sending the header.
        assert_eq!(proxies.client(ip("203.0.113.9"), &["1.2.3.4"]), ip("203.0.113.9"));
    }

    #[test]
    fn behind_proxies_the_client_is_the_rightmost_untrusted_hop() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").unwrap();
        // The client wrote "6.6.6.6" itself; the proxy appended the address it saw.
        assert_eq!(proxies.client(ip("127.0.0.1"), &["6.6.6.6, 198.51.100.7"]), ip("198.51.100.7"));
        // Two proxies of ours in a row.
        assert_eq!(proxies.client(ip("10.0.0.2"), &["6.6.6.6, 198.51.100.7, 10.0.0.1"]), ip("198.51.100.7"));
        // Several headers are one list, in order.
        assert_eq!(proxies.client(ip("10.0.0.2"), &["6.6.6.6", "198.51.100.7, 10.0.0.1"]), ip("198.51.100.7"));
        // Garbage where our proxy's entry should be ends the walk at the last trusted hop.
        assert_eq!(proxies.client(ip("10.0.0.2"), &["junk, 10.0.0.1"]), ip("10.0.0.1"));
        // Ports and brackets, as some proxies write them.
        assert_eq!(proxies.client(ip("127.0.0.1"), &["[2001:db8::1]:443"]), ip("2001:db8::1"));
        assert_eq!(proxies.client(ip("127.0.0.1"), &["198.51.100.7:5050"]), ip("198.51.100.7"));
    }

    #[test]
    fn a_long_forged_header_gives_one_stable_address() {
        let proxies = TrustedProxies::parse("127.0.0.1").unwrap();
        let forged = format!("{}, 198.51.100.7", "9.9.9.9, ".repeat(5000));
        let client = proxies.client(ip("127.0.0.1"), &[&forged]);
        assert_eq!(client, ip("198.51.100.7"));
        assert!(client.to_string().len() <= 45, "an address fits the stored column whole");
    }

    #[test]
    fn ranges_and_mapped_addresses_are_understood() {
        let proxies = TrustedProxies::parse("192.168.0.0/16, ::1, fd00::/8").unwrap();
        assert!(proxies.contains(ip("192.168.4.5")));
        assert!(proxies.contains(ip("::ffff:192.168.4.5")), "IPv4 seen through an IPv6 socket");
        assert!(proxies.contains(ip("fd12::9")));
        assert!(!proxies.contains(ip("192.169.0.1")));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }
}
