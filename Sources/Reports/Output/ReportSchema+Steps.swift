import GPUModel
import TangramSim

extension ReportSchema {
    /// A sampled engine step together with the policy being simulated: the source row of the
    /// `steps` table.
    public struct PolicyStep: Sendable, Hashable {
        /// The policy being simulated.
        public var policy: String
        /// The engine snapshot.
        public var step: StepSample

        /// Creates a row source.
        public init(policy: String, step: StepSample) {
            self.policy = policy
            self.step = step
        }
    }

    /// One part of the modelled step time, a `steps` column and a slice of the step-time chart.
    public struct StepTimeComponent: Sendable {
        /// Column name (`…_s`).
        public var column: String
        /// Short label for chart legends.
        public var label: String
        /// The part's seconds in a step's cost.
        public var seconds: @Sendable (StepCost) -> Double

        /// Creates a component.
        public init(column: String, label: String, seconds: @escaping @Sendable (StepCost) -> Double) {
            self.column = column
            self.label = label
            self.seconds = seconds
        }
    }

    /// The parts of ``StepCost`` recorded per step, in stacking order. Adding a part to
    /// ``StepCost`` means adding it here: the `steps` table and the step-time chart follow.
    public static let stepTimeComponents: [StepTimeComponent] = [
        StepTimeComponent(column: "gemm_s", label: "Linear layers (GEMM)") { $0.gemmSeconds },
        StepTimeComponent(column: "prefill_attention_s", label: "Prefill attention") { $0.prefillAttentionSeconds },
        StepTimeComponent(column: "decode_attention_s", label: "Decode attention") { $0.decodeAttentionSeconds },
        StepTimeComponent(column: "norm_activation_s", label: "Norms, activations, KV writes") {
            $0.normActivationSeconds
        },
        StepTimeComponent(column: "sampling_s", label: "Sampling") { $0.samplingSeconds },
        StepTimeComponent(column: "communication_s", label: "Communication") { $0.communicationSeconds },
        StepTimeComponent(column: "compression_s", label: "Compression scoring") { $0.compressionSeconds },
        StepTimeComponent(column: "reclaim_s", label: "Reclamation") { $0.reclaimSeconds },
        StepTimeComponent(column: "block_table_s", label: "Block tables (host)") { $0.blockTableSeconds },
        StepTimeComponent(column: "planning_s", label: "Split planning (host)") { $0.planningSeconds },
        StepTimeComponent(column: "overhead_s", label: "Scheduling (host)") { $0.overheadSeconds },
    ]

    /// Fields of `steps.csv` and the `steps` table (the table adds `run_id` first).
    public static let stepFields: [ReportField<PolicyStep>] = {
        var fields: [ReportField<PolicyStep>] = [
            ReportField("policy", .text, "policy name") { .text($0.policy) },
            ReportField("step_index", .integer, "0-based index of the engine step in the run") {
                .int($0.step.stepIndex)
            },
            ReportField("time_s", .real, "simulated time at the start of the step") { .real($0.step.timeSeconds) },
            ReportField("running_requests", .integer, "requests holding KV (scheduled or resident)") {
                .int($0.step.runningRequests)
            },
            ReportField("waiting_requests", .integer, "requests waiting for admission") {
                .int($0.step.waitingRequests)
            },
            ReportField("prefill_tokens", .integer, "prompt tokens prefilled in the step") {
                .int($0.step.prefillTokens)
            },
            ReportField("prefill_sequences", .integer, "sequences with a prefill chunk in the step") {
                .int($0.step.prefillSequences)
            },
            ReportField("decode_sequences", .integer, "sequences decoding one token in the step") {
                .int($0.step.decodeSequences)
            },
            ReportField("step_s", .real, "modelled duration of the step (sum of the parts below)") {
                .real($0.step.cost.totalSeconds)
            },
        ]
        for component in stepTimeComponents {
            let seconds = component.seconds
            fields.append(
                ReportField(component.column, .real, "\(component.label), seconds of the step") {
                    .real(seconds($0.step.cost))
                })
        }
        fields.append(
            ReportField(
                "decode_attention_ideal_s", .real,
                "decode attention with perfectly balanced thread blocks (informational, not in step_s)"
            ) { .real($0.step.cost.decodeAttentionIdealSeconds) })
        fields += [
            ReportField("kv_capacity_bytes", .integer, "KV cache capacity") { .wholeOrReal($0.step.kvCapacityBytes) },
            ReportField("kv_allocated_bytes", .integer, "KV bytes in allocated pages") {
                .wholeOrReal($0.step.kvAllocatedBytes)
            },
            ReportField("kv_used_bytes", .integer, "KV bytes holding tokens") { .wholeOrReal($0.step.kvUsedBytes) },
            ReportField(
                "kv_trapped_bytes", .integer, "allocated KV bytes holding nothing (page sized by its longest head)"
            ) {
                .wholeOrReal($0.step.kvTrappedBytes)
            },
            ReportField("kv_reserved_bytes", .integer, "KV bytes reserved ahead of use") {
                .wholeOrReal($0.step.kvReservedBytes)
            },
            ReportField("preemptions_so_far", .integer, "preemptions in the run up to this step") {
                .int($0.step.preemptionsSoFar)
            },
        ]
        return fields
    }()

    /// Columns of `steps.csv` and the `steps` table (the table adds `run_id` first).
    public static var stepColumns: [ReportColumn] { stepFields.map(\.column) }

    /// The row of one sampled step, in ``stepColumns`` order.
    ///
    /// - Parameters:
    ///   - policy: The policy being simulated.
    ///   - step: The snapshot.
    /// - Returns: One value per step column.
    public static func stepValues(policy: String, _ step: StepSample) -> [SQLiteValue] {
        let row = PolicyStep(policy: policy, step: step)
        return stepFields.map { $0.value(row) }
    }

    /// Names of the `steps` columns that the `memory` view (and `memory.csv`) selects, in order.
    public static let memoryColumnNames = [
        "policy", "step_index", "time_s", "kv_capacity_bytes", "kv_allocated_bytes", "kv_used_bytes",
        "kv_trapped_bytes", "kv_reserved_bytes",
    ]

    /// Columns of `memory.csv` and the `memory` view (the view adds `run_id` first).
    public static var memoryColumns: [ReportColumn] {
        memoryColumnNames.map { name in stepColumns.first { $0.name == name }! }
    }
}
