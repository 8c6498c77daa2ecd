extension NearDuplicateClusterer {
    /// Strong links (to this many samples) a node needs to become a centre in the star clustering's first pass.
    /// Chosen on four photo sets (groups of 14-20 copies) with an earlier second pass (one link was enough): 3, 5
    /// and 8 all beat the single pass, and 5 was best or level on each. Three passes against the single pass, both
    /// with encoding 11's views (NearDuplicateClusterEval, pair F1): unseen 0.978 -> 0.989, held-out 0.973 -> 0.982,
    /// benchmark 0.968 -> 0.978, second unseen set 0.980 -> 0.980, page layouts 0.576 -> 0.579. A second pass that
    /// took one strong link, or one link to the centre, scored held-out 0.988 but page layouts 0.472-0.564: one link
    /// is what pages of a layout give.
    static let firstCentreStrongLinks = 5

    /// Splits the link graph into clusters by star clustering (see the type's documentation for why).
    /// - Parameters:
    ///   - count: Number of samples.
    ///   - links: Direct links between samples.
    ///   - exactGroups: Groups of byte-identical samples, each ascending; they are never split.
    ///   - splitComponents: Set to the number of connected components that became more than one cluster.
    static func clusters(
        count: Int, links: NearDuplicateLinks, exactGroups: [[Int]], splitComponents: inout Int
    ) -> Clustering {
        // Nodes: one per exact group, one per other sample, numbered by smallest member.
        var groupOf = [Int](repeating: -1, count: count)
        for (g, group) in exactGroups.enumerated() { for s in group { groupOf[s] = g } }
        var nodeOf = [Int](repeating: -1, count: count)
        var nodeMembers: [[Int]] = []
        for s in 0..<count where nodeOf[s] < 0 {
            let members = groupOf[s] >= 0 ? exactGroups[groupOf[s]] : [s]
            for m in members { nodeOf[m] = nodeMembers.count }
            nodeMembers.append(members)
        }
        let nodes = nodeMembers.count
        let size = nodeMembers.map(\.count)

        // Node edges with their evidence, deduplicated; links inside a node only add evidence.
        var internalMask = [UInt8](repeating: 0, count: nodes)
        var edges: [(key: UInt64, mask: UInt8)] = []
        edges.reserveCapacity(links.count)
        for i in 0..<links.count {
            let a = nodeOf[Int(links.keys[i] >> 32)]
            let b = nodeOf[Int(links.keys[i] & 0xFFFF_FFFF)]
            if a == b { internalMask[a] |= links.masks[i] } else { edges.append((pairKey(a, b), links.masks[i])) }
        }
        edges.sort { $0.key < $1.key }
        var merged: [(key: UInt64, mask: UInt8)] = []
        for edge in edges {
            if let last = merged.last, last.key == edge.key {
                merged[merged.count - 1].mask |= edge.mask
            } else {
                merged.append(edge)
            }
        }
        edges = []

        // Adjacency (CSR), neighbours ascending because edges are sorted by (a, b) and then (b, a) is counted in.
        var start = [Int](repeating: 0, count: nodes + 1)
        for edge in merged {
            start[Int(edge.key >> 32) + 1] += 1
            start[Int(edge.key & 0xFFFF_FFFF) + 1] += 1
        }
        for n in 0..<nodes { start[n + 1] += start[n] }
        var neighbour = [Int](repeating: 0, count: start[nodes])
        var neighbourMask = [UInt8](repeating: 0, count: start[nodes])
        var cursor = start
        for edge in merged {
            let a = Int(edge.key >> 32)
            let b = Int(edge.key & 0xFFFF_FFFF)
            neighbour[cursor[a]] = b
            neighbourMask[cursor[a]] = edge.mask
            cursor[a] += 1
            neighbour[cursor[b]] = a
            neighbourMask[cursor[b]] = edge.mask
            cursor[b] += 1
        }
        merged = []

        // Samples each node links to directly, and those it links to by more than weak evidence.
        var degree = [Int](repeating: 0, count: nodes)
        var strongDegree = [Int](repeating: 0, count: nodes)
        for n in 0..<nodes {
            degree[n] = size[n] - 1
            strongDegree[n] = size[n] - 1
            for e in start[n]..<start[n + 1] {
                degree[n] += size[neighbour[e]]
                if !NearDuplicateLinks.isWeak(neighbourMask[e]) { strongDegree[n] += size[neighbour[e]] }
            }
        }

        // Stars: most-linked unassigned node first, taking its unassigned direct neighbours. Three passes, so that a
        // weak link (one pair of views at the edge of the pHash threshold, see `splitPHashPairs`) neither makes a
        // copy of one photo the centre of another photo's copies nor lets a centre take a copy that is firmly tied to
        // copies of its own photo:
        // 1. nodes with strong links to `firstCentreStrongLinks` samples or more, by strong links alone;
        // 2. each node still unassigned joins the star it links to most, if it links to two of its samples or more
        //    (one link, weak or strong, is what unrelated pages of one layout or photos of one texture give);
        // 3. the rest, by all their links (pairs and small groups, where there is no strong structure to protect).
        func byDegree(_ degree: [Int]) -> [Int] {
            (0..<nodes).filter { degree[$0] > 0 }.sorted { (a: Int, b: Int) -> Bool in
                degree[a] != degree[b] ? degree[a] > degree[b] : a < b
            }
        }
        var starOf = [Int](repeating: -1, count: nodes)
        var stars: [[Int]] = []
        var starSize: [Int] = []
        func makeStars(order: [Int], strongOnly: Bool) {
            for n in order where starOf[n] < 0 {
                var star = [n]
                starOf[n] = stars.count
                for e in start[n]..<start[n + 1] where starOf[neighbour[e]] < 0 {
                    if strongOnly && NearDuplicateLinks.isWeak(neighbourMask[e]) { continue }
                    starOf[neighbour[e]] = stars.count
                    star.append(neighbour[e])
                }
                stars.append(star)
                starSize.append(star.reduce(0) { $0 + size[$1] })
            }
        }
        // Samples node `n` links to directly, by the star they are in (-1: not in a star yet).
        func linksByStar(_ n: Int) -> [Int: Int] {
            var linked: [Int: Int] = [:]
            for e in start[n]..<start[n + 1] { linked[starOf[neighbour[e]], default: 0] += size[neighbour[e]] }
            return linked
        }
        func join(_ n: Int, _ target: Int) {
            stars[target].append(n)
            starSize[target] += size[n]
            starOf[n] = target
        }
        func move(_ n: Int, from s: Int, to target: Int) {
            stars[s].removeAll { $0 == n }
            starSize[s] -= size[n]
            join(n, target)
        }

        makeStars(order: byDegree(strongDegree).filter { strongDegree[$0] >= firstCentreStrongLinks }, strongOnly: true)
        for n in 0..<nodes where starOf[n] < 0 && degree[n] > 0 {
            // Most links first, then the larger star, then the first.
            guard let best = linksByStar(n).filter({ $0.key >= 0 && $0.value >= 2 }).max(by: { a, b in
                if a.value != b.value { return a.value < b.value }
                if starSize[a.key] != starSize[b.key] { return starSize[a.key] < starSize[b.key] }
                return a.key > b.key
            })?.key else { continue }
            join(n, best)
        }
        makeStars(order: byDegree(degree), strongOnly: false)

        // A member a star took through a few links (a copy whose frame or overlay happens to match) moves to the
        // star it links to most, if it links to more of that star than of its own and to half of it or more.
        // Centres stay. Repeated until nothing moves (a few passes: each move only makes later ones likelier).
        for _ in 0..<4 {
            var moved = false
            for s in stars.indices {
                for n in stars[s].dropFirst() where starOf[n] == s {
                    let linked = linksByStar(n)
                    let own = linked[s, default: 0] + size[n] - 1
                    guard let (target, count) = linked.filter({ $0.key != s })
                        .max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
                        count > own, 2 * count >= starSize[target]
                    else { continue }
                    move(n, from: s, to: target)
                    moved = true
                }
            }
            if !moved { break }
        }

        // A node left alone joins the neighbouring star it links to most, if it links to half of it or more.
        for s in stars.indices where stars[s].count == 1 && start[stars[s][0] + 1] > start[stars[s][0]] {
            let n = stars[s][0]
            var best = -1
            var bestLinks = 0
            for (target, count) in linksByStar(n).sorted(by: { $0.key < $1.key })
            where target != s && stars[target].count > 0 && 2 * count >= starSize[target] && count > bestLinks {
                best = target
                bestLinks = count
            }
            guard best >= 0 else { continue }
            move(n, from: s, to: best)
        }

        // Clusters of two or more samples, numbered by smallest member.
        var result: [(members: [Int], nodes: [Int])] = []
        for star in stars where !star.isEmpty {
            let members = star.flatMap { nodeMembers[$0] }.sorted()
            if members.count >= 2 { result.append((members, star)) }
        }
        result.sort { $0.members[0] < $1.members[0] }
        var clusterOf = [Int?](repeating: nil, count: count)
        var clusters: [Cluster] = []
        for (id, entry) in result.enumerated() {
            let inCluster = Set(entry.nodes)
            var mask: UInt8 = 0
            var bestSample = entry.members[0]
            var bestLinks = -1
            // Evaluate nodes in the order of their smallest member so ties fall to the smallest ordinal.
            for n in entry.nodes.sorted(by: { nodeMembers[$0][0] < nodeMembers[$1][0] }) {
                mask |= internalMask[n]
                if size[n] >= 2 { mask |= NearDuplicateLinks.bit(.exact) }
                var linksHere = size[n] - 1
                for e in start[n]..<start[n + 1] where inCluster.contains(neighbour[e]) {
                    linksHere += size[neighbour[e]]
                    mask |= neighbourMask[e]
                }
                if linksHere > bestLinks || (linksHere == bestLinks && nodeMembers[n][0] < bestSample) {
                    bestLinks = linksHere
                    bestSample = nodeMembers[n][0]
                }
            }
            for s in entry.members { clusterOf[s] = id }
            clusters.append(
                Cluster(
                    id: id, members: entry.members, representative: bestSample,
                    evidence: NearDuplicateLinks.evidence(mask)))
        }

        // Components the guard split: connected components (union–find) spanning more than one outcome.
        var parent = Array(0..<nodes)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for n in 0..<nodes {
            for e in start[n]..<start[n + 1] {
                let (a, b) = (find(n), find(neighbour[e]))
                if a != b { parent[max(a, b)] = min(a, b) }
            }
        }
        var outcomes: [Int: Set<Int>] = [:]
        for n in 0..<nodes where start[n + 1] > start[n] {
            outcomes[find(n), default: []].insert(clusterOf[nodeMembers[n][0]] ?? -1 - n)
        }
        splitComponents = outcomes.values.filter { $0.count > 1 }.count
        return Clustering(clusterOf: clusterOf, clusters: clusters, links: links, exactGroups: exactGroups)
    }
}

extension Clustering {
    /// The clustering of the samples `alive` marks, as a fresh scan of just those samples would find it: the star
    /// clustering of the links between them. Removing samples can join what the guard had split (two copies held
    /// apart by a busier centre are each other's only link once the centre is gone), so a `dedupe` checks its
    /// kept samples with this. Ordinals stay those of the whole dataset; samples not alive are in no cluster.
    public func kept(_ alive: [Bool]) -> Clustering {
        precondition(alive.count == clusterOf.count, "one flag a sample")
        // The hash searches linked only the first sample of a byte-identical group; its links are the group's, so
        // they pass to the group's first kept sample when the first is gone.
        var standIn: [Int: Int] = [:]
        for group in exactGroups where !alive[group[0]] {
            if let first = group.first(where: { alive[$0] }) { standIn[group[0]] = first }
        }
        let subset = links.renamed { alive[$0] ? $0 : standIn[$0] }
        let groups = exactGroups.map { $0.filter { alive[$0] } }.filter { $0.count >= 2 }
        var split = 0
        return NearDuplicateClusterer.clusters(count: alive.count, links: subset, exactGroups: groups, splitComponents: &split)
    }
}
