import Detect
import Foundation

/// Whether a run only reports (`audit`) or also writes the cleaned manifest (`apply`).
public enum CurationMode: String, Sendable {
    case audit, apply
}

/// What `audit` and `apply` found and did, for the command's summary and exit code.
public struct CurationOutcome: Sendable {
    public var samples: Int
    public var kept: Int
    public var removed: Int
    public var rewritten: Int
    public var clusters: Int
    public var wordTriggersBefore: Int
    public var objectTriggersBefore: Int
    public var wordTriggersAfter: Int
    public var objectTriggersAfter: Int
    public var problems: Int
    public var outputFolder: URL
}

/// The whole job: analyse, plan with the policy, measure the planned output with the same statistics, write.
public struct CurationRun {
    public var request: DatasetRequest
    public var policy: Policy
    public var mode: CurationMode
    public var output: URL
    public var force: Bool

    public init(request: DatasetRequest, policy: Policy, mode: CurationMode, output: URL, force: Bool) {
        self.request = request
        self.policy = policy
        self.mode = mode
        self.output = output
        self.force = force
    }

    public func run(terminal: Terminal) throws -> CurationOutcome {
        // Refuse a non-empty --out before the long work starts.
        let folder = try OutputFolder(output, force: force)
        // The analysis and the plan end with `analyseAndWrite`: the report reads the files just written, and only
        // the captions and image files of the samples it shows (at 1M rows: ~330 MB, was ~630).
        let (outcome, shown) = try analyseAndWrite(folder, terminal: terminal)
        terminal.begin("report")
        let thumbnail = ReportBuilder.thumbnailProvider { key in shown.files[key]?.data() }
        try ReportBuilder.writeReport(folder: folder.staging, captions: shown.captions, thumbnail: thumbnail)
        try folder.commit()
        terminal.endProgress()
        return outcome
    }

    /// What the report needs of the run beyond its output files: the shown samples' captions and image files.
    struct ShownSamples {
        var captions: [String: String]
        var files: [String: ImageSource]
    }

    /// Analyses, plans and writes every output but the report.
    func analyseAndWrite(_ folder: OutputFolder, terminal: Terminal) throws -> (CurationOutcome, ShownSamples) {
        var analysis = try DatasetAnalysis.run(request, policy: policy, terminal: terminal)
        // The analysis stages' temporaries are freed by now but still resident (glibc keeps them for reuse, and the
        // planner's arrays need other sizes): ~120 MB at 1M rows, under the plan stage, the run's peak.
        FreedMemory.release()
        // Bad input never stops a run, so it must at least be named (file and line or key) where the user looks.
        terminal.reportProblems(analysis.problems, listing: output.appendingPathComponent("problems.jsonl").path)
        let (plan, after, stats) = planAndMeasure(&analysis, terminal: terminal)

        let writeStart = Date()
        terminal.begin("write")
        let keys = analysis.scan.keys
        let wordExamples = analysis.wordTriggers.map { examples(of: $0, analysis) }
        let objectExamples = analysis.objectTriggers.map { examples(of: $0, analysis) }
        let triggers = TriggersReport(
            word: zip(analysis.wordTriggers, wordExamples).map { trigger, examples in
                .init(
                    term: trigger.term, before: trigger.statistics, after: after.word[trigger.term],
                    examples: examples.map { keys[$0] })
            },
            object: zip(analysis.objectTriggers, objectExamples).map { trigger, examples in
                .init(
                    term: trigger.term, object: trigger.object, before: trigger.statistics,
                    after: after.object[ObjectPair(trigger.term, trigger.object)], examples: examples.map { keys[$0] })
            })

        try folder.writeLines("clusters.jsonl", LogWriters.clusterLines(clustering: analysis.clustering, keys: keys))
        try folder.write("triggers.json", triggers.text)
        try folder.write("stats.json", stats.text)
        try folder.writeLines("changes.jsonl", LogWriters.changeLines(plan: plan))
        try folder.writeLines("problems.jsonl", LogWriters.problemLines(analysis.problems))
        let removed = try folder.file("removed.jsonl")
        var manifest: RowsWriter.Manifest?
        if mode == .apply {
            let format = ManifestFormat.forInputs(request.inputs)
            let dialect = [.csv, .tsv].contains(format) ? TextDialect.of(file: request.inputs[0]) : TextDialect()
            // A CSV with a header and no row still has its columns: the cleaned file keeps that header.
            let fieldNames = analysis.scan.fieldNames.isEmpty ? dialect.header?.names ?? [] : analysis.scan.fieldNames
            manifest = .init(
                file: try folder.file(format.fileName), format: format, fieldNames: fieldNames, dialect: dialect)
            if [.csv, .tsv].contains(format) {
                let files = request.inputs.flatMap { (try? DatasetInput.resolve($0)) ?? [] }.map(\.path)
                manifest?.otherDialectFiles = Set(
                    files.filter { TextDialect.of(file: $0).delimiter != dialect.delimiter })
            }
        }
        // The records come from a second read of the inputs: the scan did not keep them. The same pass finds the
        // image files of the samples the report can show (only those: not one entry per row).
        let shownKeys = reportedKeys(staging: folder.staging, plan: plan)
        let shown = keys.indices.filter { shownKeys.contains(keys[$0]) }
        let isTar = request.inputs.flatMap { (try? DatasetInput.resolve($0)) ?? [] }.contains { $0.kind == .webdataset }
        var replay = try InputReplay(
            request, keys: keys, imageKeys: isTar ? shownKeys : [], imageOrdinals: Set(shown))
        let imageFiles = try RowsWriter(
            plan: plan, clusterOf: analysis.clustering.clusterOf, captionField: captionField(analysis),
            fields: request.fields
        ).write(&replay, removed: removed, manifest: manifest, imagesOf: Set(shown))
        try removed.commit()
        try manifest?.file.commit()
        analysis.timings["write"] = Date().timeIntervalSince(writeStart)

        try folder.write("run.json", runInfo(analysis.timings).text)
        let captions = Dictionary(shown.map { (keys[$0], analysis.scan.captions[$0]) }, uniquingKeysWith: { first, _ in first })
        let files = Dictionary(
            shown.compactMap { ordinal in imageFiles[ordinal].map { (keys[ordinal], $0) } },
            uniquingKeysWith: { first, _ in first })
        let outcome = CurationOutcome(
            samples: analysis.scan.count, kept: plan.keptCount, removed: plan.removedCount,
            rewritten: plan.rewrittenCount, clusters: analysis.clustering.clusters.count,
            wordTriggersBefore: analysis.wordTriggers.count, objectTriggersBefore: analysis.objectTriggers.count,
            wordTriggersAfter: after.wordTriggerCount, objectTriggersAfter: after.objectTriggerCount,
            problems: analysis.problems.count, outputFolder: output)
        return (outcome, ShownSamples(captions: captions, files: files))
    }

    /// Plans with the policy and measures what the plan leaves. The planner's input holds a value for every row, so
    /// it lives only in here: the writers that follow do without it (~100 MB less at 1M rows).
    func planAndMeasure(
        _ analysis: inout DatasetAnalysis, terminal: Terminal
    ) -> (plan: Plan, after: AfterStatistics, stats: DatasetStats) {
        let input = planInput(analysis)
        let planStart = Date()
        terminal.begin("plan")
        let plan = Planner.plan(input: input, policy: policy)
        analysis.timings["plan"] = Date().timeIntervalSince(planStart)

        let afterStart = Date()
        terminal.begin("after statistics")
        let after = AfterStatistics(analysis: analysis, input: input, plan: plan, policy: policy)
        analysis.timings["after_statistics"] = Date().timeIntervalSince(afterStart)
        for action in plan.actions where !action.unmetShare.isEmpty {
            let terms = action.unmetShare.prefix(5).joined(separator: ", ")
            let more = action.unmetShare.count > 5 ? " and \(action.unmetShare.count - 5) more" : ""
            terminal.warn(
                "\(action.rule): no cut meets max_share for \(action.unmetShare.count) term"
                    + "\(action.unmetShare.count == 1 ? "" : "s") (\(terms)\(more)): their samples sit in too few"
                    + " clusters, so they were cut to one copy per cluster; add max_copies to bound them by count")
        }
        let emptied = plan.decisions.count { $0.isKept && $0.isRewritten && !CaptionText.hasWords($0.caption) }
        if emptied > 0 {
            terminal.warn(
                "\(emptied) kept caption\(emptied == 1 ? " is" : "s are") empty after the rewrites: their words were"
                    + " all trigger terms (changes.jsonl lists them; stats.json counts empty_captions)")
        }
        let problemCounts = analysis.problems.reduce(into: [ProblemKind: Int]()) { $0[$1.kind, default: 0] += 1 }
        var afterCounts = DatasetCounts.after(
            input: input, plan: plan, wordTriggers: after.wordTriggerCount, objectTriggers: after.objectTriggerCount)
        if mode == .audit { afterCounts.kept = afterCounts.samples }
        let keys = analysis.scan.keys
        let stats = DatasetStats(
            before: DatasetCounts.before(input: input, problems: problemCounts), after: afterCounts,
            captionClusters: analysis.captionClusters.map { $0.map { keys[$0] } })
        return (plan, after, stats)
    }

    /// The planner's view of every sample.
    func planInput(_ analysis: DatasetAnalysis) -> PlanInput {
        let scan = analysis.scan
        // The planner looks terms up only for the triggers and the policy's own terms, so each sample's list holds
        // just those: most lists are empty, where all of a caption's n-grams took ~270 bytes a row.
        let termIndex = analysis.termIndex
        let plannedTerms = analysis.wordTriggers.map(\.term) + analysis.objectTriggers.map(\.term) + policy.keptTerms
        let plannedIDs = Set(plannedTerms.compactMap { termIndex.id(of: $0) })
        // Samples sharing an image share the file's bytes: their exact group is the first of them.
        var exactGroupOf: [Int: Int] = [:]
        for group in analysis.images.sharedImageGroups { for ordinal in group { exactGroupOf[ordinal] = group[0] } }
        let samples = (0..<scan.count).map { ordinal -> PlanSample in
            let image = analysis.images[ordinal]
            var sample = PlanSample(
                key: scan.keys[ordinal], caption: scan.captions[ordinal],
                terms: termIndex.termIDs(of: ordinal).filter(plannedIDs.contains).map { termIndex.terms[Int($0)] },
                cluster: analysis.clustering.clusterOf[ordinal], exactGroup: exactGroupOf[ordinal], width: image?.width,
                height: image?.height, contentPixels: image?.contentPixels, quality: image?.pdqQuality,
                problem: scan.imageProblems[ordinal],
                objects: Set(analysis.objects?.labels(of: ordinal) ?? []), record: scan.record(of: ordinal),
                weight: analysis.weights?[ordinal] ?? 1)
            sample.compression = image.map { ImageCompression(format: $0.format, bytesPerPixel: $0.bytesPerPixel) }
            return sample
        }
        return PlanInput(
            samples: samples,
            wordTriggers: analysis.wordTriggers.map { WordTrigger(term: $0.term, statistics: $0.statistics) },
            objectTriggers: analysis.objectTriggers.map {
                ObjectTrigger(term: $0.term, object: $0.object, statistics: $0.statistics)
            }, clustering: analysis.clustering)
    }

    /// Up to 12 samples that carry a word trigger's term in its top cluster, in input order.
    func examples(of trigger: TermStatistics, _ analysis: DatasetAnalysis) -> [Int] {
        let top = trigger.statistics.topCluster
        return Array((0..<analysis.scan.count).lazy.filter { ordinal in
            analysis.clustering.clusterOf[ordinal] == top && analysis.termIndex.contains(ordinal, trigger.termID)
        }.prefix(12))
    }

    /// Up to 12 samples whose caption has the term and whose image shows the object, in input order.
    func examples(of trigger: TermObjectStatistics, _ analysis: DatasetAnalysis) -> [Int] {
        guard let objects = analysis.objects, let object = objects.id(of: trigger.object) else { return [] }
        return Array((0..<analysis.scan.count).lazy.filter { ordinal in
            analysis.termIndex.contains(ordinal, trigger.termID) && objects.objectIDs(of: ordinal).contains(object)
        }.prefix(12))
    }

    /// The keys of the samples the report shows, by a dry render of what is already staged (the report's own
    /// layout decides); the removal examples come from the plan, since removed.jsonl is written later. Only these
    /// samples' captions and image files are kept for the report: a few hundred, where every clustered sample was
    /// ~100 MB at 1M rows. For tar shards, the replay reads these members' bytes and skips every other image.
    func reportedKeys(staging: URL, plan: Plan) -> Set<String> {
        var shown = ReportBuilder.shownKeys(folder: staging)
        for decision in plan.decisions.lazy.filter({ $0.removal != nil }).prefix(ReportBuilder.exampleRemovals) {
            shown.insert(decision.key)
        }
        return shown
    }

    /// The column a rewritten caption goes to: the one the readers took the captions from.
    func captionField(_ analysis: DatasetAnalysis) -> String {
        request.fields.captionName(in: analysis.scan.fieldNames) ?? request.fields.caption ?? "caption"
    }

    func runInfo(_ timings: [String: Double]) throws -> RunInfo {
        let files = request.inputs.flatMap { input -> [String] in
            (try? DatasetInput.resolve(input).map(\.path)) ?? [input]
        }
        var digested: [RunInfo.Input] = []
        for path in files {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                digested.append(try RunInfo.Input.of(path: path))
            } else {
                digested.append(RunInfo.Input(path: path, digest: "folder", bytes: 0))
            }
        }
        // The side files change clusters and triggers as much as the inputs do, so they are digested too (each
        // `.npy` shard of an embeddings folder). They are not `inputs`: `curate report` reads those as the dataset.
        var sideInputs: [RunInfo.SideInput] = []
        let sides = [
            ("embeddings", request.embeddings), ("objects", request.objects), ("concepts", request.concepts),
            ("concept_labels", request.conceptLabels),
        ]
        for case let (role, path?) in sides {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            var paths = [path]
            if isFolder.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                paths = names.filter { $0.hasSuffix(".npy") && !$0.hasPrefix(".") }.sorted()
                    .map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
            }
            for file in paths { sideInputs.append(.init(role: role, input: try RunInfo.Input.mapped(path: file))) }
        }
        var info = RunInfo(
            toolVersion: CurateInfo.version, command: mode.rawValue, policyName: policy.name, policyFile: policy.file,
            policyHash: policy.policyHash, seed: policy.seed, inputs: digested, sideInputs: sideInputs,
            fields: request.fields, imageRoot: request.imageRoot, timings: timings)
        info.index = URL(fileURLWithPath: request.indexPath).standardizedFileURL.path
        return info
    }
}

/// A (term, object) pair as a dictionary key.
struct ObjectPair: Hashable {
    var term: String
    var object: String
    init(_ term: String, _ object: String) {
        self.term = term
        self.object = object
    }
}

extension ManifestFormat {
    /// The cleaned manifest's format: the input's when every input is one JSONL, CSV or TSV kind or all are
    /// webdataset shards; JSONL otherwise.
    static func forInputs(_ inputs: [String]) -> ManifestFormat {
        let resolved = inputs.flatMap { (try? DatasetInput.resolve($0)) ?? [] }
        if !resolved.isEmpty, resolved.allSatisfy({ $0.kind == .webdataset }) { return .tar }
        let kinds = Set(inputs.map { input -> ManifestFormat in
            let name = input.lowercased()
            if name.hasSuffix(".csv") || name.hasSuffix(".csv.lz4") { return .csv }
            if name.hasSuffix(".tsv") || name.hasSuffix(".tsv.lz4") { return .tsv }
            return .jsonl
        })
        return kinds.count == 1 ? kinds.first! : .jsonl
    }
}
