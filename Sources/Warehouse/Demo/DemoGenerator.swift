import Semantic
import Foundation

/// How big a demo to make and from which seed.
public struct DemoConfiguration: Sendable, Hashable {
    public var users: Int
    public var seed: UInt64

    public init(users: Int = 50_000, seed: UInt64 = 42) {
        self.users = users
        self.seed = seed
    }
}

/// Row counts written by the generator.
public struct DemoSummary: Sendable, Hashable {
    public var users = 0
    public var assignments = 0
    public var events = 0
}

/// Generates the synthetic experiment data through the assignment → exposure → outcome model.
///
/// Each user visits once (15% in September, 85% in October 2026), enters
/// each experiment of that period with its eligibility, is assigned an arm,
/// usually exposed within 30 minutes, and then may purchase (and refund) over
/// the following days with a probability shaped by the arms they were
/// exposed to. Everything is drawn from one seeded generator in a fixed
/// order, so the same configuration writes byte-identical tables.
public struct DemoGenerator: Sendable {
    public let configuration: DemoConfiguration

    public init(configuration: DemoConfiguration) {
        self.configuration = configuration
    }

    /// Writes reference rows and users' data into migrated, empty source tables, in one transaction.
    ///
    /// `progress` receives the number of users done so far, every 1,000 users.
    public func generate(into connection: Connection, progress: (Int) -> Void = { _ in }) throws -> DemoSummary {
        try generate(into: connection, loader: try SQLiteDemoLoader(connection: connection), progress: progress)
    }

    /// The same rows through any engine: reference rows as plain statements, users'
    /// data through `loader`, all in one transaction of `session`.
    public func generate(into session: any WritableWarehouseSession, loader: any DemoRowLoader, progress: (Int) -> Void = { _ in }) throws -> DemoSummary {
        guard configuration.users > 0, configuration.users <= 50_000_000 else {
            throw WarehouseError(code: .invalidArgument, message: "--users must be between 1 and 50,000,000 (got \(configuration.users)).")
        }
        return try session.transaction {
            try writeReferenceData(session)
            let summary = try writeUsers(loader, progress: progress)
            try loader.finish()
            return summary
        }
    }

    private func writeReferenceData(_ connection: any WritableWarehouseSession) throws {
        for metric in DemoScenario.metrics {
            try connection.execute(
                "INSERT INTO metrics (metric_id, name, kind, event_name, window_days, higher_is_better, is_guardrail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [metric.id, metric.name, metric.kind, metric.eventName, metric.windowDays, metric.higherIsBetter, metric.isGuardrail]
            )
        }
        for experiment in DemoScenario.experiments {
            try connection.execute(
                "INSERT INTO experiments (experiment_id, name, hypothesis, primary_metric_id, status, owner, created_at, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [experiment.id, experiment.name, experiment.hypothesis, experiment.primaryMetric, experiment.status, experiment.owner,
                 Timestamp.format(experiment.createdAt), experiment.startedAt.map(Timestamp.format), experiment.endedAt.map(Timestamp.format)]
            )
            for (index, variant) in experiment.variants.enumerated() {
                try connection.execute(
                    "INSERT INTO experiment_variants (experiment_id, variation_id, name, is_control, allocation) VALUES (?, ?, ?, ?, ?)",
                    [experiment.id, variant.id, variant.name, index == 0, variant.allocation]
                )
            }
        }
        for decision in DemoScenario.decisions {
            try connection.execute(
                "INSERT INTO experiment_decisions (decision_id, experiment_id, decision, rationale, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)",
                [decision.id, decision.experiment, decision.decision, decision.rationale, decision.decidedBy, Timestamp.format(decision.decidedAt)]
            )
        }
    }

    private func writeUsers(_ writer: any DemoRowLoader, progress: (Int) -> Void) throws -> DemoSummary {
        var random = SeededRandom(seed: configuration.seed)
        let idWidth = max(7, String(configuration.users).count)
        let countryWeights = DemoScenario.countries.map(\.weight)
        let exposureProps = DemoScenario.platforms.map { "{\"platform\":\"\($0)\"}" }
        var summary = DemoSummary()

        for index in 1...configuration.users {
            let userID = "u_" + zeroPadded(index, width: idWidth)
            let visit = visitTime(&random)
            let email = "\(DemoScenario.firstNames[Int(random.next() % UInt64(DemoScenario.firstNames.count))]).\(DemoScenario.lastNames[Int(random.next() % UInt64(DemoScenario.lastNames.count))])\(index)@\(DemoScenario.emailDomains[Int(random.next() % 3)])"
            let country = DemoScenario.countries[random.weightedIndex(countryWeights)].code
            let createdAt = visit.time - random.integer(in: 86_400...(600 * 86_400))
            try writer.addUser(id: userID, email: email, country: country, createdAt: Timestamp.format(createdAt))
            summary.users += 1
            let props = exposureProps[Int(random.next() % UInt64(exposureProps.count))]
            // How engaged the user is (mean 1): it raises their purchase chance before and after
            // the visit alike, so pre-period revenue predicts the outcome (CUPED's covariate)
            // while staying independent of the arms assigned below.
            let engagement = random.logNormal(mean: 1, sigma: DemoScenario.engagementSigma)
            summary.events += try writePrePeriodPurchases(unit: userID, visit: visit.time, engagement: engagement, random: &random, writer: writer)

            var purchaseMultiplier = 1.0
            for experiment in DemoScenario.experiments where experiment.period == visit.period && experiment.eligibility > 0 {
                guard random.chance(experiment.eligibility) else { continue }
                let armIndex = random.weightedIndex(experiment.variants.map(\.assignmentWeight))
                let arm = experiment.variants[armIndex]
                let assignedAt = visit.time + random.integer(in: 0...120)
                try writer.assign(experimentID: experiment.id, unitID: userID, variationID: arm.id, assignedAt: Timestamp.format(assignedAt))
                summary.assignments += 1
                summary.events += try writeExposures(experiment, arm: armIndex, unit: userID, assignedAt: assignedAt, props: props, random: &random, writer: writer, multiplier: &purchaseMultiplier)
            }
            let rate = min(DemoScenario.maxPurchaseRate, DemoScenario.basePurchaseRate * purchaseMultiplier * engagement)
            summary.events += try writePurchases(unit: userID, visit: visit.time, rate: rate, random: &random, writer: writer)
            if index % 1000 == 0 { progress(index) }
        }
        progress(configuration.users)
        return summary
    }

    /// Exposure (and page-load) events for one assignment; returns how many events were written.
    private func writeExposures(
        _ experiment: DemoScenario.Experiment, arm armIndex: Int, unit: String, assignedAt: Int64, props: String,
        random: inout SeededRandom, writer: any DemoRowLoader, multiplier: inout Double
    ) throws -> Int {
        let arm = experiment.variants[armIndex]
        let assignedDay = assignedAt - assignedAt % 86_400
        let exposureRate = experiment.brokenLoggingDays.contains(assignedDay) ? experiment.brokenExposureRate : experiment.exposureRate
        let draw = random.uniform()
        let planted = random.uniform()
        guard draw < exposureRate else { return 0 }

        var written = 0
        func expose(_ variation: String, at time: Int64) throws {
            try writer.append(Event(name: "exposure", unitID: unit, experimentID: experiment.id, variationID: variation, occurredAt: Timestamp.format(time), props: props))
            written += 1
        }
        let otherArm = experiment.variants[(armIndex + 1) % experiment.variants.count].id
        var firstExposure = assignedAt + random.integer(in: 5...1800)
        var exposedVariation = arm.id
        let problem = PlantedProblem(draw: planted, in: experiment)
        switch problem {
        case .preAssignment: firstExposure = assignedAt - random.integer(in: 60...3600)
        case .mismatch: exposedVariation = otherArm
        case .outsideWindow: firstExposure = (experiment.endedAt ?? assignedAt) + random.integer(in: 3600...(30 * 3600))
        case .multiVariation, .none: break
        }
        try expose(exposedVariation, at: firstExposure)
        if problem == .multiVariation {
            try expose(otherArm, at: firstExposure + random.integer(in: 600...86_400))
        } else if random.chance(DemoScenario.repeatExposureRate) {
            // A return visit; none are logged once the experiment has ended.
            let repeatAt = firstExposure + random.integer(in: 3600...(2 * 86_400))
            if problem == .outsideWindow || repeatAt <= experiment.endedAt ?? .max {
                try expose(exposedVariation, at: repeatAt)
            }
        }
        if let latency = arm.latencyMean {
            let value = (random.logNormal(mean: latency, sigma: 0.3) * 10).rounded() / 10
            try writer.append(Event(name: "page_load", unitID: unit, experimentID: experiment.id, variationID: exposedVariation, value: value, occurredAt: Timestamp.format(firstExposure + 1)))
            written += 1
        }
        multiplier *= arm.purchaseEffect
        return written
    }

    /// Purchase and refund events (global: no experiment id); returns how many were written.
    private func writePurchases(unit: String, visit: Int64, rate: Double, random: inout SeededRandom, writer: any DemoRowLoader) throws -> Int {
        guard random.chance(rate) else { return 0 }
        var written = 0
        var time = visit + 3600
        var purchases = 1
        if random.chance(DemoScenario.secondPurchaseRate) { purchases = 2 }
        for _ in 0..<purchases {
            let delay = min(-log(max(random.uniform(), 1e-12)) * 2 * 86_400, 10 * 86_400)
            time += Int64(delay)
            let amount = (random.logNormal(mean: 48, sigma: 0.6) * 100).rounded() / 100
            try writer.append(Event(name: "purchase", unitID: unit, value: amount, occurredAt: Timestamp.format(time)))
            written += 1
            if random.chance(DemoScenario.refundRate) {
                try writer.append(Event(name: "refund", unitID: unit, value: amount, occurredAt: Timestamp.format(time + random.integer(in: 3600...(72 * 3600)))))
                written += 1
            }
        }
        return written
    }

    /// Purchases in the 14 days before the visit (no experiment id): the pre-period
    /// revenue CUPED adjusts with. Their number is Poisson with a mean proportional to
    /// the user's engagement. Returns how many events were written.
    private func writePrePeriodPurchases(unit: String, visit: Int64, engagement: Double, random: inout SeededRandom, writer: any DemoRowLoader) throws -> Int {
        let limit = exp(-DemoScenario.prePeriodPurchases * engagement)
        var count = 0
        var product = random.uniform()
        while product > limit && count < 20 {
            count += 1
            product *= random.uniform()
        }
        for _ in 0..<count {
            let time = visit - random.integer(in: 3600...(14 * 86_400 - 1))
            let amount = (random.logNormal(mean: 48, sigma: 0.3) * 100).rounded() / 100
            try writer.append(Event(name: "purchase", unitID: unit, value: amount, occurredAt: Timestamp.format(time)))
        }
        return count
    }

    private func visitTime(_ random: inout SeededRandom) -> (time: Int64, period: DemoScenario.Period) {
        let september = random.chance(DemoScenario.septemberShare)
        let window = september ? DemoScenario.septemberVisits : DemoScenario.octoberVisits
        return (window.start + random.integer(in: 0...(window.days * 86_400 - 1)), september ? .september : .october)
    }

    private func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// The exposure-quality problem planted on one assignment, if any.
///
/// One uniform draw is split into consecutive bands sized by the
/// experiment's planted rates, so at most one problem applies.
enum PlantedProblem: Equatable {
    case none, preAssignment, mismatch, outsideWindow, multiVariation

    init(draw: Double, in experiment: DemoScenario.Experiment) {
        let bands: [(PlantedProblem, Double)] = [
            (.preAssignment, experiment.preAssignmentRate),
            (.mismatch, experiment.mismatchRate),
            (.outsideWindow, experiment.endedAt == nil ? 0 : experiment.outsideWindowRate),
            (.multiVariation, experiment.multiVariationRate),
        ]
        var upper = 0.0
        for (problem, rate) in bands {
            upper += rate
            if draw < upper {
                self = problem
                return
            }
        }
        self = .none
    }
}
