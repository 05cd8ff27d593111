// Imported first by the decision-latency bench: the logger reads LOG_LEVEL when its module is
// first evaluated. Warnings too: every ERP record warns that no receiver is configured, and at
// 500 shipments a second that would drown the figures.
process.env.LOG_LEVEL ??= 'error';
