/**
 * Payments from MoeDelo back into the deal: an incremental poller (bills changed since a cursor, new
 * bank payments from the money registry, a periodic reconciliation for deleted bills), exactly-once
 * deal effects (timeline entries, the «Оплачено» stage and field), daily overdue reminders, and the
 * read model of the deal tab.
 */
export { runPaymentPoll, type PaymentPollOptions, type PaymentPollSummary } from './poller'
export { deliverPaymentEffects, PAYMENTS_TOPIC, type DeliverySummary } from './deliver'
export { runOverdueReminders, overdueDays, type OverdueOptions, type OverdueSummary } from './overdue'
export { paymentsForDeal, type DealInvoicePayments, type InvoicePaymentStatus, type InvoiceReceipt } from './read'
export {
  overdueReminderJob,
  paymentJobs,
  paymentPollJob,
  scheduleOverdueReminders,
  schedulePaymentJobs,
  schedulePaymentPoll,
  secondsUntilOverdueRun,
} from './jobs'
export { isFullyPaid, MARKED_BY_HAND, paidAmount } from './mirror'
