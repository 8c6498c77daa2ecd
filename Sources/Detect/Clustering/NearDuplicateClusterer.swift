import Foundation

/// Groups samples into near-duplicate clusters from every enabled kind of evidence.
///
/// Evidence: equal content hash (exact), pHash/dHash/PDQ Hamming distance within the thresholds over every view
/// of each image (as decoded, mirrored, trimmed, trimmed and mirrored, centred; for pHash also the off-centre
/// crop views, the turned views and the picture inside a page, so copies cropped at any offset, rotated by a few
/// degrees or shown inside a screenshot match), and embedding cosine. Pair search is exact for the hashes
/// (``HammingPairSearch``), on large inputs up to a distance and near-exact beyond (pHash: up to one bit below its
/// limit, see ``pHashMaximumChunkRadius``; PDQ: up to 23 bits, see ``pdqMaximumChunkRadius``), and IVF-calibrated
/// for embeddings (``EmbeddingPairSearch``).
///
/// ## Guard against chaining
/// Plain connected components (union–find) let weak links chain unrelated images: A~B, B~C, … Y~Z puts A and
/// Z in one cluster although they share nothing. Instead, each connected component is split by *star
/// clustering*: byte-identical files first collapse into one node (they are never split); nodes are visited by
/// how many samples they link to directly (most first, ties by smallest ordinal), and an unassigned node becomes
/// a centre that takes every still-unassigned node it links to directly. A member that links to more samples of
/// another cluster than of its own, and to at least half of that cluster, then moves there (a copy whose frame or
/// overlay happened to match a busier centre goes back to its own photo). A node left alone (all its neighbours
/// were taken by other centres) then joins the neighbouring cluster it links to most, but only if it links to
/// at least half of that cluster's samples. Weak pHash links (one pair of views at the edge of the threshold, the
/// evidence unrelated pictures of the same coarse layout give) count for joining a cluster but not for choosing
/// centres: centres with many strong links are chosen first and take their neighbours by strong links alone, and a
/// node they leave joins the cluster it links to most if it links to two of its members or more (see
/// ``clusters(count:links:exactGroups:splitComponents:)``). So every member is a direct near-duplicate of its centre
/// or of other members, and a cluster's diameter stays within about twice the threshold, whatever the length of the
/// chain; a true group of copies, where the typical copy links to most others, stays whole. Exact
/// duplicates and the centre's direct matches are exactly what `dedupe` may remove in favour of one kept copy.
///
/// Output is deterministic: pair lists are sorted before use and every tie is broken by ordinal.
public struct NearDuplicateClusterer: Sendable {
    public var thresholds: DetectThresholds
    /// PDQ views with a quality below this do not count as PDQ evidence (Meta's PDQ notes: below 50 a hash
    /// of a flat or tiny image is unreliable); pHash/dHash still apply to them.
    public var minimumPDQQuality: Int = 50
    /// Views with a PDQ quality below this do not count as pHash evidence: a flat view's pHash only tells the direction
    /// of its gradient, so flat views of unrelated images match (the crop and turned views are held to
    /// ``FeatureOptions/minimumViewTexture`` when they are hashed). 20 took the flat-tile set's wrongly joined tiles
    /// from 52 to 42 and changed no score of the benchmark, held-out or page sets (30 lost 0.001 on the benchmark).
    public var minimumPHashQuality: Int = 20
    /// A view below ``minimumPHashQuality`` but at least this (not blank) still links by pHash where its PDQ hash
    /// agrees too: pHash within its threshold and PDQ within ``DetectThresholds/pdqMaxDistance`` on the same pair of
    /// views. Dark or misty photos (fog, night peaks: quality 1 to 19) and their copies matched by pHash at 0 to 4
    /// bits but never linked; unrelated flat tiles that meet by pHash are 60 bits or more apart by PDQ.
    public var minimumFaintQuality: Int = 1
    public var embeddingOptions = EmbeddingPairSearch.Options()
    /// The cap on PDQ's chunk radii in the pair search (``ChunkPlan``); nil makes that search exact.
    public var pdqMaximumChunkRadius: Int? = 1
    /// The cap on pHash's chunk radii in the pair search, applied only where the search stays exact up to one bit
    /// below the pHash limit (``ChunkPlan``: beyond 2M views, about 60k images); nil makes that search exact. Pairs
    /// whose views meet only at the limit itself are then found about 6 times in 7. On the warm 1M-row audit of
    /// `make bench` (36M pHash views) the pHash stage took 26 s instead of 52 (the whole audit 201 s of CPU instead
    /// of 247; 100k rows: 16 s instead of 20); of its real near-duplicates' 10.58M same-cluster pairs 0.05% were
    /// lost, and 16k of the 217k clustered samples left clusters, all synthetic images that copy nothing: chance
    /// meetings at the limit, among 36M views.
    public var pHashMaximumChunkRadius: Int? = 1
    /// Tells weak pHash links (one pair of views at the edge of the threshold) from strong ones, so that weak
    /// links do not decide which samples become cluster centres (see
    /// ``splitPHashPairs(_:limit:frameLimit:codes:oriented:picture:faintCheck:)``).
    public var weighsPHashLinks = true
    /// An image whose inset view (`ImageFeatures.insetPHash`, the picture inside a page) covers at most this share of
    /// it is a page: a screenshot, a post, a photo in a viewer. Two pages link by pHash only through their pictures
    /// or by views within ``pageFrameMaxDistance``: views of the rest show the layout (a header over a light page
    /// with a block in the middle), and pages of one layout showing different photos met there. nil turns the rule
    /// off. Measured with NearDuplicateClusterEval (encoding 13), 0.5 with a frame limit of 4 against no rule: page
    /// layouts 0.575 -> 0.641 (precision 0.697 -> 0.874); screenshots with their originals, clustered on their own,
    /// held-out 0.575 -> 0.822 and second unseen set 0.692 -> 0.745 (screenshots of one post layout had joined);
    /// whole held-out, benchmark and second unseen sets unchanged, unseen 0.989 -> 0.987 (star fields, whose black
    /// sky peels as a page). Any one page rather than both: pages 0.638 but unseen 0.982; frame limit 3: pages
    /// 0.652, unseen 0.985; share 0.7: unseen 0.980.
    public var pageMaximumPictureShare: Double? = 0.5
    /// Between two pages, a pair of views not involving either picture links within this many bits only.
    public var pageFrameMaxDistance = 4

    public init(thresholds: DetectThresholds = DetectThresholds()) {
        self.thresholds = thresholds
    }

    /// Clusters samples by ordinal.
    /// - Parameters:
    ///   - features: Per sample, its image features, or nil when the image could not be decoded.
    ///   - embeddings: Optional image embeddings, row i = sample i.
    /// - Throws: ``EmbeddingError`` when the embedding row count differs from the sample count.
    public func cluster(features: [ImageFeatures?], embeddings: EmbeddingMatrix? = nil) throws -> Clustering {
        try clusterWithReport(SampleFeatures(features), embeddings: embeddings).clustering
    }

    /// Clusters samples by ordinal, each distinct image's features held once (as a scan keeps them).
    public func cluster(_ features: SampleFeatures, embeddings: EmbeddingMatrix? = nil) throws -> Clustering {
        try clusterWithReport(features, embeddings: embeddings).clustering
    }

    /// Clusters samples and tells what evidence was found.
    public func clusterWithReport(
        features: [ImageFeatures?], embeddings: EmbeddingMatrix? = nil
    ) throws -> (clustering: Clustering, report: ClusteringReport) {
        try clusterWithReport(SampleFeatures(features), embeddings: embeddings)
    }

    /// Clusters samples and tells what evidence was found.
    public func clusterWithReport(
        _ features: SampleFeatures, embeddings: EmbeddingMatrix? = nil
    ) throws -> (clustering: Clustering, report: ClusteringReport) {
        if let embeddings { try embeddings.checkCount(samples: features.count) }
        var report = ClusteringReport()
        var clock = Date()
        var seconds: [String: Double] = [:]
        func lap(_ name: String) {
            seconds[name] = Date().timeIntervalSince(clock)
            clock = Date()
        }
        let (links, exactGroups) = findLinks(features: features, embeddings: embeddings, report: &report, lap: lap)
        let clustering = Self.clusters(
            count: features.count, links: links, exactGroups: exactGroups, splitComponents: &report.splitComponents)
        lap("clusters")
        report.seconds = seconds
        return (clustering, report)
    }

    /// Direct links from every kind of evidence, plus groups of byte-identical samples (size ≥ 2, ascending).
    public func links(features: [ImageFeatures?], embeddings: EmbeddingMatrix? = nil) throws
        -> (links: NearDuplicateLinks, exactGroups: [[Int]])
    {
        if let embeddings { try embeddings.checkCount(samples: features.count) }
        var report = ClusteringReport()
        return findLinks(features: SampleFeatures(features), embeddings: embeddings, report: &report, lap: { _ in })
    }

    private func findLinks(
        features: SampleFeatures, embeddings: EmbeddingMatrix?, report: inout ClusteringReport,
        lap: (String) -> Void
    ) -> (NearDuplicateLinks, [[Int]]) {
        var exactGroups: [[Int]] = []
        // Byte-identical samples are one node of the star clustering whatever else links them, so only the first
        // of each exact group enters the hash searches: a file shared by thousands of rows costs one entry, not
        // thousands of entries and millions of pairs. Without exact evidence every sample is searched.
        var skipped = [Bool](repeating: false, count: features.count)
        if thresholds.exact {
            exactGroups = features.sharedImageGroups
            for group in exactGroups { for ordinal in group.dropFirst() { skipped[ordinal] = true } }
            report.exactDuplicateSamples = exactGroups.reduce(0) { $0 + $1.count }
            lap("exact")
        }
        var links = NearDuplicateLinks()
        // The codes each hash kind searches are drawn from the features in one walk, samples in order, and kept
        // out of memory: the search walks them once for every table it builds.
        let searched = (0..<features.count).lazy.filter { !skipped[$0] }
        var runs = [Evidence: CodeRuns]()
        for kind in [Evidence.phash, .dhash, .pdq] where limit(of: kind) != nil { runs[kind] = CodeRuns() }
        var buffer: [UInt64] = []
        features.forEach(searched) { ordinal, f in
            for kind in [Evidence.phash, .dhash, .pdq] where runs[kind] != nil {
                searchedCodes(of: f, kind, into: &buffer)
                buffer.withUnsafeBufferPointer { runs[kind]!.append(owner: ordinal, codes: $0) }
            }
        }
        lap("codes")
        for evidence in [Evidence.phash, .dhash] {
            guard let limit = limit(of: evidence), let codeRuns = runs[evidence] else { continue }
            let pairs = HammingPairSearch.pairs(
                bits: 64, maxDistance: limit, maximumChunkRadius: evidence == .phash ? pHashMaximumChunkRadius : nil,
                exactUpTo: limit - 1, views: codeRuns.views)
            runs[evidence] = nil
            report.linksByEvidence[evidence] = pairs.count
            if evidence == .phash {
                let (strong, weak) = splitPHashPairs(pairs, limit: limit, features: features)
                links.merge(strong, as: evidence)
                links.merge(weak, as: evidence, weak: weighsPHashLinks)
            } else {
                links.merge(pairs, as: evidence)
            }
            lap(evidence.rawValue)
        }
        if let limit = thresholds.pdqMaxDistance, let codeRuns = runs[.pdq] {
            // PDQ's search probes each chunk within one bit (``ChunkPlan``): exact up to 23 bits, and near-exact
            // beyond, for an eighth of the exact search's partner buckets at a million images (276 against 2,124).
            let pairs = HammingPairSearch.pairs(
                bits: 256, maxDistance: limit, maximumChunkRadius: pdqMaximumChunkRadius, views: codeRuns.views)
            runs[.pdq] = nil
            report.linksByEvidence[.pdq] = pairs.count
            links.merge(pairs, as: .pdq)
            lap("pdq")
        }
        if let minCosine = thresholds.embeddingMinCosine, let embeddings {
            report.invalidEmbeddingRows = embeddings.invalidRows
            let (pairs, searchReport) = EmbeddingPairSearch.pairs(
                in: embeddings, minCosine: Float(minCosine), options: embeddingOptions)
            report.embeddingSearch = searchReport
            report.linksByEvidence[.embedding] = pairs.count
            links.merge(pairs, as: .embedding)
            lap("embedding")
        }
        return (links, exactGroups)
    }

    /// The distance limit of a hash kind, nil when that evidence is off.
    private func limit(of kind: Evidence) -> Int? {
        switch kind {
        case .phash: thresholds.phashMaxDistance
        case .dhash: thresholds.dhashMaxDistance
        case .pdq: thresholds.pdqMaxDistance
        default: nil
        }
    }

    /// The basic views of an image: as decoded, mirrored, trimmed (as is and mirrored, so bordered copies match
    /// without their border, mirrored or not) and centred.
    private static func eachView(_ f: ImageFeatures, _ body: (PerceptualHashes) -> Void) {
        body(f.hashes)
        body(f.mirrored)
        if let trimmed = f.trimmed { body(trimmed) }
        if let trimmedMirrored = f.trimmedMirrored { body(trimmedMirrored) }
        if let centered = f.centered { body(centered) }
    }

    /// Quality a basic view needs to search by pHash: faint views (see ``minimumFaintQuality``) enter the search
    /// only where PDQ can confirm them.
    private var faintQuality: Int { thresholds.pdqMaxDistance == nil ? minimumPHashQuality : minimumFaintQuality }

    /// An image's distinct pHash codes that count as evidence: the basic views textured enough, the off-centre crop
    /// views (a cropped copy matches the crop view nearest it), the turned views and the picture inside a page.
    /// `searching` adds faint views and, looking for candidates only, the orientation views: they count against the
    /// other image as decoded (``orientedPHash(_:)``), not against its crops.
    private func pHashCodes(of f: ImageFeatures, into codes: inout [UInt64], searching: Bool = false) {
        codes.removeAll(keepingCapacity: true)
        func offer(_ code: UInt64) { if !codes.contains(code) { codes.append(code) } }
        let quality = searching ? faintQuality : minimumPHashQuality
        Self.eachView(f) { if $0.pdqQuality >= quality { offer($0.phash) } }
        f.croppedPHashViews.forEach(offer)
        if searching, f.hashes.pdqQuality >= minimumPHashQuality { f.orientedPHashViews.forEach(offer) }
    }

    /// The distinct codes an image searches with for one hash kind, whole codes one after the other (PDQ: 4 words
    /// each): pHash's searching codes (``pHashCodes(of:into:searching:)``), every dHash, and the PDQ views at
    /// ``minimumPDQQuality`` or above.
    private func searchedCodes(of f: ImageFeatures, _ kind: Evidence, into codes: inout [UInt64]) {
        codes.removeAll(keepingCapacity: true)
        func offer(_ code: UInt64) { if !codes.contains(code) { codes.append(code) } }
        switch kind {
        case .phash:
            pHashCodes(of: f, into: &codes, searching: true)
        case .dhash:
            Self.eachView(f) { offer($0.dhash) }
        default:
            Self.eachView(f) { hashes in
                let w = hashes.pdq.words
                let seen = stride(from: 0, to: codes.count, by: 4).contains {
                    (codes[$0], codes[$0 + 1], codes[$0 + 2], codes[$0 + 3]) == w
                }
                guard hashes.pdqQuality >= minimumPDQQuality, !seen else { return }
                codes.append(w.0)
                codes.append(w.1)
                codes.append(w.2)
                codes.append(w.3)
            }
        }
    }

    /// An image's pHash as decoded with those of its other orientations, nil when it is too flat.
    private func orientedPHash(_ f: ImageFeatures) -> OrientedPHash? {
        f.hashes.pdqQuality >= minimumPHashQuality
            ? OrientedPHash(asIs: f.hashes.phash, orientations: f.orientedPHashViews) : nil
    }

    /// ``splitPHashPairs(_:limit:frameLimit:codes:oriented:picture:faintCheck:)`` with this clusterer's rules, on
    /// the features of the paired samples, read back once each.
    private func splitPHashPairs(
        _ pairs: [UInt64], limit: Int, features: SampleFeatures
    ) -> (strong: [UInt64], weak: [UInt64]) {
        var members: [UInt64] = []
        members.reserveCapacity(2 * pairs.count)
        for key in pairs {
            members.append(key >> 32)
            members.append(key & 0xFFFF_FFFF)
        }
        var paired: [Int: ImageFeatures] = [:]
        features.forEach(sortedUnique(members).lazy.map { Int($0) }) { ordinal, f in paired[ordinal] = f }
        let pageShare = pageMaximumPictureShare
        let faintQuality = faintQuality
        return Self.splitPHashPairs(
            pairs, limit: limit, frameLimit: pageFrameMaxDistance,
            codes: { pHashCodes(of: paired[$0]!, into: &$1) },
            oriented: { orientedPHash(paired[$0]!) },
            picture: { ordinal in
                let f = paired[ordinal]!
                guard let pageShare, let share = f.insetShare, share <= pageShare else { return nil }
                return f.insetPHash
            },
            faintCheck: thresholds.pdqMaxDistance.map { pdqLimit in
                FaintCheck(pdqLimit: pdqLimit) { ordinal, views in
                    views.removeAll(keepingCapacity: true)
                    Self.eachView(paired[ordinal]!) { view in
                        guard view.pdqQuality >= faintQuality else { return }
                        views.append(FaintCheck.View(view, faint: view.pdqQuality < minimumPHashQuality))
                    }
                }
            })
    }

    /// `pairs` split into strong and weak evidence, each sorted: weak where the two samples' views meet only once,
    /// at `limit - 1` bits or more. With some 30 views an image, 900 view pairs are tried for every two images, and
    /// a lone match at the edge is what unrelated pictures with the same coarse layout give (a light block on a dark
    /// ground, a disc on white, the dark corner of a night photo), while a copy usually matches by a smaller distance
    /// or by more views at once.
    /// Some true copies (a crop at 80%) match only so, which is why weak links still join a cluster but do not
    /// choose its centre. `codes(ordinal, &buffer)` fills the buffer with the sample's distinct codes.
    ///
    /// Two pages (`picture(ordinal)` gives a page's picture code, nil for other images) whose views meet only
    /// between frame views farther apart than `frameLimit` are left out: that is their layout meeting, not their
    /// pictures (see ``pageMaximumPictureShare``).
    ///
    /// `oriented` gives an image's pHash as decoded and those of its other orientations
    /// (`ImageFeatures.orientedPHashes`), nil when it is too flat: an orientation of one within `limit` of the other
    /// as decoded is one more meeting (one, however many orientations meet: a copy turned on its side meets both
    /// ways).
    ///
    /// `faintCheck` adds the meetings of faint views (see ``minimumFaintQuality``), which `codes` leaves out: a pair of
    /// basic views, one of them faint, meets where both its pHash and its PDQ hash are within their limits.
    static func splitPHashPairs(
        _ pairs: [UInt64], limit: Int, frameLimit: Int = 64, codes: (Int, inout [UInt64]) -> Void,
        oriented: (Int) -> OrientedPHash? = { _ in nil }, picture: (Int) -> UInt64? = { _ in nil },
        faintCheck: FaintCheck? = nil
    ) -> (strong: [UInt64], weak: [UInt64]) {
        let stripes = min(pairs.count, 64)
        let parts = parallelMap(stripes) { stripe -> (strong: [UInt64], weak: [UInt64]) in
            var a: [UInt64] = []
            var b: [UInt64] = []
            var faintA: [FaintCheck.View] = []
            var faintB: [FaintCheck.View] = []
            var out: (strong: [UInt64], weak: [UInt64]) = ([], [])
            for index in stride(from: stripe, to: pairs.count, by: stripes) {
                let key = pairs[index]
                let (i, j) = (Int(key >> 32), Int(key & 0xFFFF_FFFF))
                codes(i, &a)
                codes(j, &b)
                let pictures = (picture(i), picture(j))
                let pages = pictures.0 != nil && pictures.1 != nil
                var meetings = 0
                var closest = Int.max
                var throughPictures = !pages
                for x in a {
                    for y in b {
                        let distance = (x ^ y).nonzeroBitCount
                        if distance <= limit {
                            meetings += 1
                            closest = min(closest, distance)
                            if distance <= frameLimit || x == pictures.0 || y == pictures.1 { throughPictures = true }
                        }
                    }
                }
                if let x = oriented(i), let y = oriented(j) {
                    let distance = min(x.distance(to: y.asIs), y.distance(to: x.asIs))
                    if distance <= limit {
                        meetings += 1
                        closest = min(closest, distance)
                        if distance <= frameLimit { throughPictures = true }
                    }
                }
                if let faintCheck {
                    faintCheck.views(i, &faintA)
                    faintCheck.views(j, &faintB)
                    if faintA.contains(where: \.faint) || faintB.contains(where: \.faint) {
                        for x in faintA {
                            for y in faintB where x.faint || y.faint {
                                let distance = (x.phash ^ y.phash).nonzeroBitCount
                                guard distance <= limit, x.pdq.distance(to: y.pdq) <= faintCheck.pdqLimit else { continue }
                                meetings += 1
                                closest = min(closest, distance)
                                if distance <= frameLimit { throughPictures = true }
                            }
                        }
                    }
                }
                if !throughPictures || meetings == 0 { continue }
                if meetings == 1 && closest >= limit - 1 { out.weak.append(key) } else { out.strong.append(key) }
            }
            return out
        }
        return (parts.flatMap(\.strong).sorted(), parts.flatMap(\.weak).sorted())
    }

    /// An image's pHash as decoded with those of its other orientations (`ImageFeatures.orientedPHashes`).
    struct OrientedPHash {
        var asIs: UInt64
        var orientations: ArraySlice<UInt64>

        /// The fewest bits between one of the orientations and `code`.
        func distance(to code: UInt64) -> Int {
            orientations.reduce(64) { min($0, ($1 ^ code).nonzeroBitCount) }
        }
    }

    /// How ``splitPHashPairs(_:limit:frameLimit:codes:oriented:picture:faintCheck:)`` confirms faint views by PDQ.
    struct FaintCheck {
        /// One basic view of an image (as decoded, mirrored, trimmed, centred) that is not blank.
        struct View {
            var phash: UInt64
            var pdq: PDQHash
            /// Too flat for pHash evidence alone.
            var faint: Bool

            init(_ hashes: PerceptualHashes, faint: Bool) {
                phash = hashes.phash
                pdq = hashes.pdq
                self.faint = faint
            }
        }

        var pdqLimit: Int
        /// Fills the buffer with a sample's views.
        var views: (Int, inout [View]) -> Void
    }
}
