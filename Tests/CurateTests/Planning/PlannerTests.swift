import Curate
import CurateTestSupport
import Detect
import Testing

@Suite struct PlannerTests {
    // MARK: dedupe

    @Test("dedupe keeps the preferred member of each exact group and removes the rest")
    func dedupeExactPrefersLargest() throws {
        let input = PlanInput(samples: [
            Build.sample("a", "small copy", exact: 0, size: (100, 100)),
            Build.sample("b", "big copy", exact: 0, size: (400, 300)),
            Build.sample("c", "medium copy", exact: 0, size: (200, 200)),
            Build.sample("d", "unique", size: (50, 50)),
            Build.sample("e", "near but not exact", cluster: 0, size: (10, 10)),
            Build.sample("f", "near but not exact too", cluster: 0, size: (10, 10)),
        ])
        let plan = Planner.plan(
            input: input, policy: try Build.policy("  - dedupe: {scope: exact, keep: 1, prefer: [largest]}\n"))
        #expect(plan.decisions.map(\.isKept) == [false, true, false, true, true, true])
        #expect(plan.decisions[0].removal?.rule == "actions[0].dedupe")
        #expect(plan.decisions[0].removal?.reason.contains("b") == true)
        #expect(plan.actions == [ActionSummary(rule: "actions[0].dedupe", removed: 2)])
    }

    @Test("a dedupe reason says when the copy it kept was removed by a later action")
    func dedupeKeptThenRemoved() throws {
        let input = PlanInput(samples: [
            Build.sample("a", "first copy", terms: ["copy"], exact: 0), Build.sample("b", "second copy", exact: 0),
        ])
        let plan = Planner.plan(
            input: input,
            policy: try Build.policy("  - dedupe: {scope: exact, keep: 1, prefer: [first]}\n  - remove: {term: copy}\n"))
        #expect(plan.decisions.map(\.isKept) == [false, false])
        #expect(
            plan.decisions[1].removal?.reason
                == "exact duplicate (identical image bytes); kept a (since removed: a by actions[1].remove)")
    }

    @Test("dedupe's largest counts the picture's pixels, not a padded copy's border")
    func dedupeLargestIgnoresPadding() throws {
        let input = PlanInput(samples: [
            // A half-size copy padded onto a big canvas, then the original.
            Build.sample("padded", "copy", cluster: 0, size: (900, 900), content: 256 * 171),
            Build.sample("original", "photo", cluster: 0, size: (512, 341)),
        ])
        let plan = Planner.plan(input: input, policy: try Build.policy("  - dedupe: {scope: near, keep: 1, prefer: [largest]}\n"))
        #expect(plan.decisions.filter(\.isKept).map(\.key) == ["original"])
    }

    @Test("dedupe near keeps `keep` members by quality, then longest caption, then input order")
    func dedupeNearKeepTwo() throws {
        let input = PlanInput(samples: [
            Build.sample("a", "x", cluster: 3, quality: 50),
            Build.sample("b", "a longer caption", cluster: 3, quality: 90),
            Build.sample("c", "short", cluster: 3, quality: 70),
            Build.sample("d", "the longest caption of all", cluster: 3, quality: 70),
            Build.sample("e", "other cluster", cluster: 4, quality: 10),
            Build.sample("f", "other cluster", cluster: 4, quality: 10),
        ])
        let policy = try Build.policy("  - dedupe: {scope: near, keep: 2, prefer: [quality, longest_caption]}\n")
        let plan = Planner.plan(input: input, policy: policy)
        #expect(plan.decisions.filter(\.isKept).map(\.key) == ["b", "d", "e", "f"])
        let first = try Build.policy("  - dedupe: {scope: near, keep: 1, prefer: [first]}\n")
        #expect(Planner.plan(input: input, policy: first).decisions.filter(\.isKept).map(\.key) == ["a", "e"])
    }

    @Test("dedupe near leaves no two kept samples that match directly, though the guard split their group")
    func dedupeNearChecksKeptSamplesAgain() throws {
        // A chain of PDQ codes 8 bits apart: each links to three neighbours on either side (distance ≤ 31), and the
        // guard against chaining cuts it into clusters. Keeping the last of each cluster keeps neighbours.
        var random = SeededGenerator(seed: 5)
        var code = (0..<4).map { _ in random.next() }
        var features: [ImageFeatures?] = []
        for step in 0..<20 {
            if step > 0 { for bit in (8 * (step - 1))..<(8 * step) { code[bit / 64] ^= 1 << UInt64(bit % 64) } }
            let hashes = PerceptualHashes(
                phash: random.next(), dhash: 0, pdq: PDQHash(code[0], code[1], code[2], code[3]), pdqQuality: 100)
            features.append(ImageFeatures(
                contentHash: ContentHash(high: UInt64(step), low: 0), byteCount: 1000, format: .jpeg, width: 64,
                height: 64, hashes: hashes, mirrored: hashes, trimmed: nil))
        }
        var thresholds = DetectThresholds()
        thresholds.phashMaxDistance = nil
        let clustering = try NearDuplicateClusterer(thresholds: thresholds).cluster(features: features)
        #expect(clustering.clusters.count >= 3)
        // Longer captions win: the first cluster keeps its last step, the second its first, and so on.
        let samples = (0..<20).map { step -> PlanSample in
            let cluster = clustering.clusterOf[step]
            let length = (cluster ?? 0) % 2 == 0 ? step : 20 - step
            return Build.sample("s\(step)", String(repeating: "x", count: length + 1), cluster: cluster)
        }
        let policy = try Build.policy("  - dedupe: {scope: near, keep: 1, prefer: [longest_caption]}\n")
        func kept(_ plan: Plan) -> [Bool] { plan.decisions.map(\.isKept) }

        // By the clusters alone, the kept samples of neighbouring clusters still match.
        let once = Planner.plan(input: PlanInput(samples: samples), policy: policy)
        #expect(!clustering.kept(kept(once)).clusters.isEmpty)
        // With the clustering, dedupe clusters what it kept again until nothing matches.
        let plan = Planner.plan(input: PlanInput(samples: samples, clustering: clustering), policy: policy)
        #expect(clustering.kept(kept(plan)).clusters.isEmpty)
        #expect(plan.decisions.filter(\.isKept).count < once.decisions.filter(\.isKept).count)
        for decision in plan.decisions where !decision.isKept {
            #expect(decision.removal?.rule == "actions[0].dedupe")
        }
    }

    // MARK: rebalance

    /// 20 copies of "starry night" in cluster 0, 60 other samples of the term elsewhere, and 9 in cluster 1.
    static func starryNight() -> PlanInput {
        var samples: [PlanSample] = []
        for i in 0..<20 {
            samples.append(
                Build.sample(
                    "top\(i)", "Starry Night by Van Gogh, print \(i)",
                    terms: ["starry night", "starry", "night", "van gogh"], cluster: 0))
        }
        for i in 0..<9 {
            samples.append(
                Build.sample(
                    "second\(i)", "starry night poster \(i)", terms: ["starry night", "starry", "night", "poster"],
                    cluster: 1))
        }
        for i in 0..<60 {
            samples.append(
                Build.sample(
                    "spread\(i)", "a starry night over town \(i)", terms: ["starry night", "starry", "night", "town"]))
        }
        return PlanInput(samples: samples, wordTriggers: [Build.wordTrigger("starry night", topCluster: 0)])
    }

    @Test("rebalance meets the bound with each method", arguments: RebalanceAction.Method.allCases)
    func rebalanceMeetsBound(method: RebalanceAction.Method) throws {
        let input = Self.starryNight()
        let policy = try Build.policy(
            "  - rebalance: {scope: word_triggers, max_copies: 5, method: \(method.rawValue)}\n")
        let plan = Planner.plan(input: input, policy: policy)
        let after = Build.concentration(of: "starry night", input: input, plan: plan)
        #expect(after.nTop <= 5 + 1e-9)
        #expect(plan.keptCount + plan.removedCount == input.samples.count)
        switch method {
        case .downsample:
            // 15 surplus in cluster 0, 4 in cluster 1; nothing else touched.
            #expect(plan.removedCount == 19)
            #expect(plan.decisions[29...].allSatisfy { $0.isKept })
        case .decouple:
            #expect(plan.removedCount == 0)
            #expect(plan.rewrittenCount == 19)
            for decision in plan.decisions where decision.isRewritten {
                #expect(!decision.caption.lowercased().contains("starry night"))
                #expect(!decision.terms.contains("starry night"))
                #expect(decision.changes.first?.rule == "actions[0].rebalance")
            }
        case .reweight:
            #expect(plan.removedCount == 0)
            #expect(plan.rewrittenCount == 0)
            let topWeights = plan.decisions[0..<20].map { $0.weight ?? 1 }
            #expect(abs(topWeights.reduce(0, +) - 5) < 1e-9)
            #expect(topWeights.allSatisfy { abs($0 - 0.25) < 1e-12 })
            #expect(plan.decisions[29...].allSatisfy { $0.weight == nil })
        }
    }

    @Test("decouple cuts overlapping triggers from the same copies: a phrase goes whole, never word by word")
    func decoupleOverlappingTriggers() throws {
        let samples = (0..<12).map { i in
            Build.sample("v\(i)", "starry night by van gogh, print \(i)", terms: ["van gogh", "van", "gogh", "print"], cluster: 0)
        }
        // The miner lists the single words first (they are as concentrated as the phrase).
        let input = PlanInput(
            samples: samples,
            wordTriggers: ["van", "gogh", "van gogh"].map { Build.wordTrigger($0, topCluster: 0) })
        let plan = Planner.plan(
            input: input, policy: try Build.policy("  - rebalance: {max_copies: 4, method: decouple}\n"))
        #expect(plan.rewrittenCount == 8)
        for decision in plan.decisions {
            let caption = decision.caption.lowercased()
            if decision.isRewritten {
                #expect(caption.hasPrefix("starry night, print"), "\(caption)")
                #expect(!caption.contains("van") && !caption.contains("gogh"), "\(caption)")
                #expect(decision.changes.count == 1, "one rewrite per caption: \(decision.changes)")
            } else {
                #expect(caption.contains("by van gogh"))
            }
        }
    }

    @Test("drop_term on word triggers acts on the phrase, not on its words: other images keep their own 'van'")
    func subsumedTriggersLeaveOtherCaptions() throws {
        // "painting van" is on 4 of the 6 copies, all of which say "van gogh": "van gogh" accounts for it too.
        var samples = (0..<6).map { i in
            i < 4
                ? Build.sample("v\(i)", "a painting by van gogh \(i)", terms: ["van gogh", "van", "gogh", "painting van"], cluster: 0)
                : Build.sample("v\(i)", "a print by van gogh \(i)", terms: ["van gogh", "van", "gogh"], cluster: 0)
        }
        samples.append(Build.sample("t0", "a red van parked on a street", terms: ["van", "red", "street"]))
        samples.append(Build.sample("t1", "gogh, a village", terms: ["gogh", "village"]))
        let input = PlanInput(
            samples: samples,
            wordTriggers: ["van", "gogh", "painting van", "van gogh"].map { Build.wordTrigger($0, topCluster: 0) })
        let plan = Planner.plan(input: input, policy: try Build.policy(
            "  - rewrite_captions: {scope: word_triggers, strategy: drop_term}\n"))
        #expect(plan.decisions[6].changes.isEmpty && plan.decisions[7].changes.isEmpty)
        for (index, decision) in plan.decisions[0..<6].enumerated() {
            #expect(decision.caption.hasPrefix(index < 4 ? "a painting" : "a print"), "\(decision.caption)")
            #expect(!decision.caption.contains("van") && !decision.caption.contains("gogh"), "\(decision.caption)")
        }
    }

    @Test("drop_term takes overlapping trigger phrases out as one span, leaving no fragment")
    func overlappingPhrasesGoTogether() {
        #expect(CaptionText.removing(["painting van", "van gogh"], from: "oil painting van gogh, night sky") == "oil, night sky")
        #expect(CaptionText.removing(["van gogh", "starry night"], from: "starry night by van gogh") == "")
    }

    @Test("rebalance counts copies by the weight the input already carries", arguments: RebalanceAction.Method.allCases)
    func rebalanceCountsInputWeights(method: RebalanceAction.Method) throws {
        var input = Self.starryNight()
        // An earlier reweight left the 20 copies of cluster 0 at 0.25 each (5 in all) and the 9 of cluster 1 at 1.
        for index in 0..<20 { input.samples[index].weight = 0.25 }
        let policy = try Build.policy(
            "  - rebalance: {scope: word_triggers, max_copies: 5, method: \(method.rawValue)}\n")
        let plan = Planner.plan(input: input, policy: policy)
        // Cluster 0 already meets the bound: untouched. Cluster 1 (9) is cut to 5 as before.
        #expect(plan.decisions[0..<20].allSatisfy { $0.isKept && !$0.isRewritten && $0.weight == nil })
        let after = Build.concentration(of: "starry night", input: input, plan: plan)
        #expect(after.nTop <= 5 + 1e-9)
        switch method {
        case .downsample: #expect(plan.removedCount == 4)
        case .decouple: #expect(plan.rewrittenCount == 4)
        case .reweight: #expect(plan.decisions[20..<29].allSatisfy { abs(($0.weight ?? 1) - 5.0 / 9) < 1e-12 })
        }

        // Heavier copies fill the bound sooner: at weight 2, only 2 of cluster 1's copies fit under 5.
        for index in 20..<29 { input.samples[index].weight = 2 }
        let heavy = Planner.plan(input: input, policy: try Build.policy(
            "  - rebalance: {scope: word_triggers, max_copies: 5, method: downsample}\n"))
        #expect(heavy.decisions[20..<29].count { $0.isKept } == 2)
        #expect(Build.concentration(of: "starry night", input: input, plan: heavy).nTop <= 5)
    }

    @Test("rebalance by share cuts only as many copies as the share bound needs")
    func rebalanceByShare() throws {
        let input = Self.starryNight()
        // Share now 20/89 ≈ 0.225. Clipping the top cluster to 17 gives 17/86 ≈ 0.198 ≤ 0.2: 3 cuts,
        // far fewer than the 19 that max_copies: 5 would need, so the share bound is used.
        let policy = try Build.policy(
            "  - rebalance: {scope: word_triggers, max_copies: 5, max_share: 0.2, method: downsample}\n")
        let plan = Planner.plan(input: input, policy: policy)
        let after = Build.concentration(of: "starry night", input: input, plan: plan)
        #expect(after.share <= 0.2)
        #expect(plan.removedCount == 3)
        let reweighted = Planner.plan(
            input: input, policy: try Build.policy("  - rebalance: {max_share: 0.2, method: reweight}\n"))
        let weighted = Build.concentration(of: "starry night", input: input, plan: reweighted)
        #expect(weighted.share <= 0.2 + 1e-9)
        #expect(weighted.share >= 0.2 - 1e-9)
    }

    @Test("a max_share no cut can meet makes the strongest cut, one copy per cluster, and names the terms")
    func rebalanceShareUnmet() throws {
        // All of "mona lisa" sits in two clusters: no cut brings its top share under 0.1.
        let samples = (0..<12).map { Build.sample("k\($0)", "mona lisa \($0)", terms: ["mona lisa"], cluster: $0 % 2) }
        let input = PlanInput(samples: samples, wordTriggers: [Build.wordTrigger("mona lisa", topCluster: 0)])
        let plan = Planner.plan(input: input, policy: try Build.policy("  - rebalance: {max_share: 0.1}\n"))
        #expect(plan.keptCount == 2)
        #expect(plan.actions[0].unmetShare == ["mona lisa"])
        // With a count bound as well, that bound is met instead and nothing is reported.
        let counted = Planner.plan(
            input: input, policy: try Build.policy("  - rebalance: {max_share: 0.1, max_copies: 3}\n"))
        #expect(counted.keptCount == 6)
        #expect(counted.actions[0].unmetShare.isEmpty)
    }

    @Test("rebalance falls back to max_copies when no cut can bring the share down")
    func rebalanceShareInfeasible() throws {
        // A term that lives on one image only: its share stays 1 whatever is cut.
        let samples = (0..<12).map { Build.sample("k\($0)", "mona lisa \($0)", terms: ["mona lisa"], cluster: 2) }
        let input = PlanInput(samples: samples, wordTriggers: [Build.wordTrigger("mona lisa", topCluster: 2)])
        let plan = Planner.plan(
            input: input, policy: try Build.policy("  - rebalance: {max_copies: 4, max_share: 0.1}\n"))
        #expect(plan.keptCount == 4)
        // Without max_copies the strongest cut is made (one copy) and the term reported as unmet.
        let shareOnly = Planner.plan(input: input, policy: try Build.policy("  - rebalance: {max_share: 0.1}\n"))
        #expect(shareOnly.keptCount == 1)
        #expect(shareOnly.actions[0].unmetShare == ["mona lisa"])
    }

    // MARK: determinism

    @Test("the same seed gives the same plan; another seed chooses other copies")
    func determinism() throws {
        let input = Self.starryNight()
        let actions = """
              - rebalance: {max_copies: 5, method: downsample}
              - rewrite_captions: {scope: all, strategy: random_token, fraction: 0.5}
            """
        let a = Planner.plan(input: input, policy: try Build.policy(actions + "\n", seed: 1))
        let b = Planner.plan(input: input, policy: try Build.policy(actions + "\n", seed: 1))
        let c = Planner.plan(input: input, policy: try Build.policy(actions + "\n", seed: 2))
        #expect(a == b)
        #expect(a.decisions.map(\.isKept) != c.decisions.map(\.isKept))
        #expect(a.decisions.map(\.caption) != c.decisions.map(\.caption))
        #expect(a.removedCount == c.removedCount)
    }

    @Test("a sample's random choices depend on its key, not on the other samples")
    func perSampleSeeding() throws {
        let input = Self.starryNight()
        let policy = try Build.policy("  - rewrite_captions: {scope: all, strategy: random_number, fraction: 0.5}\n")
        let full = Planner.plan(input: input, policy: policy)
        let half = Planner.plan(input: PlanInput(samples: Array(input.samples.suffix(40))), policy: policy)
        #expect(Array(full.decisions.suffix(40).map(\.caption)) == half.decisions.map(\.caption))
    }

    // MARK: caption rewrites

    @Test(
        "mention_object names the hidden object until the mention rate reaches the fraction",
        arguments: [0.5, 0.8, 1.0])
    func mentionObject(fraction: Double) throws {
        var samples: [PlanSample] = []
        for i in 0..<10 {
            let caption = i == 0 ? "an astronaut with flags on the moon" : "an astronaut on the moon \(i)."
            samples.append(Build.sample("s\(i)", caption, terms: ["astronaut", "moon"], objects: ["flag"]))
        }
        samples.append(Build.sample("noflag", "an astronaut in orbit", terms: ["astronaut"]))
        samples.append(Build.sample("other", "a flag on a pole", terms: ["flag", "pole"], objects: ["flag"]))
        let stats = ObjectStatistics(
            support: 11, withObject: 10, confidence: 0.9, baseRate: 0.9, lift: 1, mentionRate: 0.1, pValue: 0, qValue: 0
        )
        let input = PlanInput(
            samples: samples, objectTriggers: [ObjectTrigger(term: "astronaut", object: "flag", statistics: stats)])
        let policy = try Build.policy(
            "  - rewrite_captions: {scope: object_triggers, strategy: mention_object, fraction: \(fraction)}\n")
        let plan = Planner.plan(input: input, policy: policy)
        let mentioning = plan.decisions[0..<10].count { CaptionText.contains("flag", in: $0.caption, loose: true) }
        #expect(Double(mentioning) / 10 >= fraction)
        #expect(mentioning == Int((fraction * 10).rounded(.up)))
        #expect(plan.decisions[10].changes.isEmpty)
        #expect(plan.decisions[11].changes.isEmpty)
        let changed = try #require(plan.decisions.first { $0.isRewritten })
        #expect(changed.caption.hasSuffix(", flag."))
    }

    @Test("mention_object counts a built-in synonym as naming the object, as the trigger statistics do")
    func mentionObjectSynonyms() throws {
        // Half the captions already say "pennant" or "banner" (built-in names of a flag): a fraction of 0.5 is met.
        let samples = (0..<10).map { i in
            Build.sample(
                "s\(i)", i < 3 ? "an astronaut with a pennant \(i)" : i < 5 ? "astronaut, stars and stripes \(i)" : "an astronaut \(i)",
                terms: ["astronaut"], objects: ["flag"])
        }
        let stats = ObjectStatistics(
            support: 10, withObject: 10, confidence: 1, baseRate: 1, lift: 1, mentionRate: 0.5, pValue: 0, qValue: 0)
        let input = PlanInput(
            samples: samples, objectTriggers: [ObjectTrigger(term: "astronaut", object: "flag", statistics: stats)])
        let half = Planner.plan(input: input, policy: try Build.policy(
            "  - rewrite_captions: {scope: object_triggers, strategy: mention_object, fraction: 0.5}\n"))
        #expect(half.rewrittenCount == 0)
        let all = Planner.plan(input: input, policy: try Build.policy(
            "  - rewrite_captions: {scope: object_triggers, strategy: mention_object, fraction: 1.0}\n"))
        #expect(all.rewrittenCount == 5)
        #expect(all.decisions[0..<5].allSatisfy { !$0.isRewritten })
    }

    @Test("drop_term and replace_term edit only the term's words")
    func dropAndReplace() throws {
        let input = PlanInput(
            samples: [
                Build.sample(
                    "a", "Starry Night by Van Gogh, oil on canvas",
                    terms: ["starry night", "van gogh", "oil", "canvas"]),
                Build.sample("b", "a cat on a mat", terms: ["cat", "mat"]),
            ],
            wordTriggers: [Build.wordTrigger("van gogh", topCluster: 0)])
        let dropped = Planner.plan(
            input: input,
            policy: try Build.policy("  - rewrite_captions: {scope: word_triggers, strategy: drop_term}\n"))
        #expect(dropped.decisions[0].caption == "Starry Night, oil on canvas")
        #expect(dropped.decisions[0].terms == ["starry night", "oil", "canvas"])
        #expect(dropped.decisions[1].changes.isEmpty)
        let replaced = Planner.plan(
            input: input,
            policy: try Build.policy(
                "  - rewrite_captions: {scope: terms, terms: [starry night], strategy: replace_term, replacements: [a painting]}\n"
            ))
        #expect(replaced.decisions[0].caption == "a painting by Van Gogh, oil on canvas")
        #expect(
            replaced.decisions[0].changes == [
                CaptionChange(
                    before: "Starry Night by Van Gogh, oil on canvas", after: "a painting by Van Gogh, oil on canvas",
                    rule: "actions[0].rewrite_captions")
            ])
    }

    @Test("caption noise strategies change the caption in their own way")
    func captionNoise() throws {
        let input = PlanInput(samples: (0..<30).map { Build.sample("k\($0)", "a red car parked outside") })
        func run(_ strategy: String) throws -> Plan {
            try Planner.plan(
                input: input,
                policy: Build.policy("  - rewrite_captions: {scope: all, strategy: \(strategy), fraction: 1.0}\n"))
        }
        let originalWords = ["a", "red", "car", "parked", "outside"]
        for decision in try run("random_token").decisions {
            let words = decision.caption.split(separator: " ").map(String.init)
            #expect(words.count == 6)
            #expect(words.filter { !originalWords.contains($0) }.count == 1)
        }
        for decision in try run("random_token, mode: replace").decisions {
            #expect(decision.caption.split(separator: " ").count == 5)
            #expect(decision.caption != "a red car parked outside")
        }
        for decision in try run("repeat_word").decisions {
            let words = decision.caption.split(separator: " ").map(String.init)
            #expect(words.count == 6)
            #expect(zip(words, words.dropFirst()).contains { $0 == $1 })
        }
        for decision in try run("random_number").decisions {
            let words = decision.caption.split(separator: " ")
            #expect(words.count == 6)
            #expect(words.count { Int($0) != nil } == 1)
        }
        let tenth = try Planner.plan(
            input: PlanInput(samples: (0..<1000).map { Build.sample("k\($0)", "a red car") }),
            policy: Build.policy("  - rewrite_captions: {scope: all, strategy: repeat_word, fraction: 0.1}\n"))
        #expect((60...140).contains(tenth.rewrittenCount))
    }

    // MARK: remove and accounting

    @Test("remove drops samples matching every selector given")
    func removeSelectors() throws {
        var nsfw = Build.sample("n", "something", terms: ["something"])
        nsfw.record.fields.append(.init(name: "nsfw", value: "\"UNSAFE\""))
        let input = PlanInput(samples: [
            Build.sample("missing", "a cat", terms: ["cat"], problem: .missingImage),
            Build.sample("corrupt", "a dog", terms: ["dog"], problem: .corruptImage),
            Build.sample("marked", "stock photo with watermark", terms: ["stock photo", "watermark"]),
            Build.sample("big1", "copy", cluster: 5), Build.sample("big2", "copy", cluster: 5),
            Build.sample("big3", "copy", cluster: 5),
            Build.sample("pair1", "pair", cluster: 6), Build.sample("pair2", "pair", cluster: 6),
            nsfw,
        ])
        func removed(_ selector: String) throws -> [String] {
            try Planner.plan(input: input, policy: Build.policy("  - remove: \(selector)\n")).decisions.filter {
                !$0.isKept
            }.map(\.key)
        }
        #expect(try removed("{missing_image: true}") == ["missing", "corrupt"])
        #expect(try removed("{error_kind: corrupt_image}") == ["corrupt"])
        #expect(try removed("{term: watermark}") == ["marked"])
        #expect(try removed("{min_cluster_size: 3}") == ["big1", "big2", "big3"])
        #expect(try removed("{field: {name: nsfw, value: UNSAFE}}") == ["n"])
        #expect(try removed("{missing_image: true, term: dog}") == ["corrupt"])
    }

    @Test("kept + removed = input under a policy using every action")
    func accounting() throws {
        var input = Self.starryNight()
        input.samples[3].exactGroup = 1
        input.samples[4].exactGroup = 1
        input.samples[30].problem = .truncatedImage
        let policy = try Build.policy(
            """
              - dedupe: {scope: exact, keep: 1}
              - rebalance: {max_copies: 3, method: decouple}
              - rewrite_captions: {scope: word_triggers, strategy: random_token, fraction: 0.3}
              - remove: {missing_image: true}
              - dedupe: {scope: near, keep: 2, prefer: [longest_caption]}

            """)
        let plan = Planner.plan(input: input, policy: policy)
        #expect(plan.decisions.count == input.samples.count)
        #expect(plan.keptCount + plan.removedCount == input.samples.count)
        #expect(plan.decisions.map(\.key) == input.samples.map(\.key))
        #expect(plan.actions.map(\.rule) == (0..<5).map { policy.ruleName(of: $0) })
        #expect(plan.actions.reduce(0) { $0 + $1.removed } == plan.removedCount)
    }
}
