import { z } from 'zod';

/**
 * The 25 tools both benchmark servers expose, declared once as data so the two
 * servers cannot drift: each server adapts this list with its own idiomatic
 * API (Gatehouse `defineTool`, SDK `registerTool`). Handlers are pure and
 * return small JSON objects, so the benchmark measures the framework, not the
 * tool.
 */
export interface BenchTool {
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodObject;
  readonly handler: (input: Record<string, unknown>) => Record<string, unknown>;
}

/** Keeps each entry's handler typed against its own schema, then erases the type for the list. */
function tool<S extends z.ZodObject>(name: string, description: string, input: S, handler: (input: z.output<S>) => Record<string, unknown>): BenchTool {
  return { name, description, input, handler: handler as BenchTool['handler'] };
}

const id = z.string().min(1).max(64);
const limit = z.number().int().min(1).max(100).default(10);

export const benchTools: readonly BenchTool[] = [
  tool('quote_shipping', 'Quotes the price of shipping a parcel between two cities.', z.object({ origin: z.string(), destination: z.string(), weightKg: z.number().positive(), express: z.boolean().default(false) }), (i) => ({
    origin: i.origin,
    destination: i.destination,
    priceCents: Math.round(i.weightKg * 350 + (i.express ? 1200 : 400)),
    currency: 'EUR',
  })),
  tool('get_customer', 'Returns a customer record by id.', z.object({ customerId: id }), (i) => ({ id: i.customerId, name: 'Ada Lovelace', tier: 'gold' })),
  tool('list_orders', 'Lists the recent orders of a customer.', z.object({ customerId: id, limit }), (i) => ({ customerId: i.customerId, orders: [], limit: i.limit })),
  tool('get_order', 'Returns one order by id.', z.object({ orderId: id }), (i) => ({ id: i.orderId, status: 'shipped', totalCents: 4200 })),
  tool('cancel_order', 'Cancels an order that has not shipped.', z.object({ orderId: id, reason: z.string().max(500).optional() }), (i) => ({ id: i.orderId, cancelled: true })),
  tool('search_products', 'Full-text search over the product catalogue.', z.object({ query: z.string().min(1), limit }), (i) => ({ query: i.query, hits: [], limit: i.limit })),
  tool('get_product', 'Returns a product by SKU.', z.object({ sku: id }), (i) => ({ sku: i.sku, name: 'Widget', priceCents: 999 })),
  tool('check_stock', 'Returns the stock level of a SKU in a warehouse.', z.object({ sku: id, warehouse: z.enum(['ams', 'fra', 'lis']) }), (i) => ({ sku: i.sku, warehouse: i.warehouse, units: 17 })),
  tool('reserve_stock', 'Reserves units of a SKU for an order.', z.object({ sku: id, units: z.number().int().min(1).max(1000), orderId: id }), (i) => ({ sku: i.sku, reserved: i.units, orderId: i.orderId })),
  tool('create_invoice', 'Creates an invoice for an order.', z.object({ orderId: id, dueDays: z.number().int().min(0).max(120).default(30) }), (i) => ({ orderId: i.orderId, invoiceId: `inv_${i.orderId}`, dueDays: i.dueDays })),
  tool('get_invoice', 'Returns an invoice by id.', z.object({ invoiceId: id }), (i) => ({ id: i.invoiceId, paid: false })),
  tool('refund_payment', 'Refunds part or all of a payment.', z.object({ paymentId: id, amountCents: z.number().int().positive() }), (i) => ({ paymentId: i.paymentId, refundedCents: i.amountCents })),
  tool('convert_currency', 'Converts an amount between currencies at a fixed rate table.', z.object({ amount: z.number(), from: z.enum(['EUR', 'USD', 'GBP']), to: z.enum(['EUR', 'USD', 'GBP']) }), (i) => ({
    amount: i.amount,
    from: i.from,
    to: i.to,
    converted: i.from === i.to ? i.amount : Math.round(i.amount * 108) / 100,
  })),
  tool('list_tickets', 'Lists support tickets by status.', z.object({ status: z.enum(['open', 'pending', 'closed']), limit }), (i) => ({ status: i.status, tickets: [], limit: i.limit })),
  tool('get_ticket', 'Returns a support ticket by id.', z.object({ ticketId: id }), (i) => ({ id: i.ticketId, status: 'open', priority: 'normal' })),
  tool('reply_ticket', 'Adds a reply to a support ticket.', z.object({ ticketId: id, body: z.string().min(1).max(5000) }), (i) => ({ ticketId: i.ticketId, replyLength: i.body.length })),
  tool('assign_ticket', 'Assigns a ticket to an agent.', z.object({ ticketId: id, agentId: id }), (i) => ({ ticketId: i.ticketId, agentId: i.agentId })),
  tool('schedule_meeting', 'Books a meeting slot.', z.object({ title: z.string().min(1), startIso: z.string(), minutes: z.number().int().min(15).max(480) }), (i) => ({ title: i.title, start: i.startIso, minutes: i.minutes })),
  tool('list_events', 'Lists calendar events in a date range.', z.object({ fromIso: z.string(), toIso: z.string() }), (i) => ({ from: i.fromIso, to: i.toIso, events: [] })),
  tool('send_email', 'Queues an email to a recipient.', z.object({ to: z.string().min(3), subject: z.string().max(200), body: z.string().max(20_000) }), (i) => ({ queued: true, to: i.to, subjectLength: i.subject.length })),
  tool('get_weather', 'Returns the current weather of a city.', z.object({ city: z.string().min(1), units: z.enum(['metric', 'imperial']).default('metric') }), (i) => ({ city: i.city, units: i.units, temperature: 21 })),
  tool('translate_text', 'Translates a short text.', z.object({ text: z.string().max(2000), targetLang: z.string().length(2) }), (i) => ({ targetLang: i.targetLang, length: i.text.length })),
  tool('summarize_metrics', 'Summarizes a list of numeric samples.', z.object({ samples: z.array(z.number()).min(1).max(1000) }), (i) => ({
    count: i.samples.length,
    min: Math.min(...i.samples),
    max: Math.max(...i.samples),
    sum: i.samples.reduce((a, b) => a + b, 0),
  })),
  tool('create_user', 'Creates a user account.', z.object({ email: z.string().min(3), name: z.string().min(1), role: z.enum(['admin', 'member', 'viewer']).default('member') }), (i) => ({ email: i.email, name: i.name, role: i.role })),
  tool('ping', 'Answers pong; a health probe for agents.', z.object({}), () => ({ pong: true })),
];

/** The tools/call the benchmark measures: a typical small call with four typed arguments. */
export const benchCall = {
  name: 'quote_shipping',
  arguments: { origin: 'Lisbon', destination: 'Amsterdam', weightKg: 2.5, express: true },
} as const;
