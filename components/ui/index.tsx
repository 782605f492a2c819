/** Small building blocks in the Bitrix24 look (b24style tokens). */
import type { ButtonHTMLAttributes, ReactNode } from 'react'

type Tone = 'primary' | 'secondary' | 'success' | 'alert' | 'warning'

const buttonTones: Record<Tone, string> = {
  primary: 'bg-primary text-primary-on hover:bg-blue-600',
  secondary: 'bg-white text-base-900 border border-base-300 hover:border-base-500',
  success: 'bg-success text-success-on hover:bg-green-600',
  alert: 'bg-alert text-alert-on hover:bg-red-600',
  warning: 'bg-warning text-warning-on',
}

export function Button({
  tone = 'primary',
  busy = false,
  className = '',
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone; busy?: boolean }) {
  return (
    <button
      {...props}
      disabled={props.disabled || busy}
      aria-busy={busy}
      className={`inline-flex h-9 items-center gap-2 rounded-md px-4 text-sm font-semibold uppercase tracking-wide transition-colors disabled:cursor-not-allowed disabled:opacity-60 ${buttonTones[tone]} ${className}`}
    >
      {busy && <Spinner small />}
      {children}
    </button>
  )
}

export function Card({ title, actions, children }: { title?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="rounded-xl border border-base-150 bg-white p-5 shadow-sm">
      {(title || actions) && (
        <header className="mb-4 flex items-center justify-between gap-4">
          {title && <h2 className="text-base font-semibold text-base-master">{title}</h2>}
          {actions}
        </header>
      )}
      {children}
    </section>
  )
}

const alertTones: Record<'info' | 'success' | 'warning' | 'alert', string> = {
  info: 'bg-info-background text-info-link border-info',
  success: 'bg-success-background text-success-link border-success',
  warning: 'bg-warning-background text-warning-link border-warning',
  alert: 'bg-alert-background text-alert-link border-alert',
}

export function Alert({ tone = 'info', children, testId }: { tone?: keyof typeof alertTones; children: ReactNode; testId?: string }) {
  return (
    <div role={tone === 'alert' ? 'alert' : 'status'} data-testid={testId} className={`rounded-md border-l-4 px-4 py-3 text-sm ${alertTones[tone]}`}>
      {children}
    </div>
  )
}

export function Spinner({ small = false, label }: { small?: boolean; label?: string }) {
  const size = small ? 'h-4 w-4' : 'h-6 w-6'
  return (
    <span className="inline-flex items-center gap-2 text-base-700" role="status">
      <span className={`${size} animate-spin rounded-full border-2 border-base-200 border-t-primary`} />
      {label && <span className="text-sm">{label}</span>}
    </span>
  )
}

export function Badge({ tone = 'secondary', children, testId }: { tone?: Tone; children: ReactNode; testId?: string }) {
  const tones: Record<Tone, string> = {
    primary: 'bg-info-background text-info-link',
    secondary: 'bg-base-100 text-base-900',
    success: 'bg-success-background text-success-link',
    alert: 'bg-alert-background text-alert-link',
    warning: 'bg-warning-background text-warning-link',
  }
  return (
    <span data-testid={testId} className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ${tones[tone]}`}>
      {children}
    </span>
  )
}

export function Field({ label, hint, children }: { label: ReactNode; hint?: ReactNode; children: ReactNode }) {
  return (
    <label className="block text-sm">
      <span className="mb-1 block font-semibold text-base-900">{label}</span>
      {children}
      {hint && <span className="mt-1 block text-xs text-base-700">{hint}</span>}
    </label>
  )
}

export const inputClass =
  'block w-full rounded-md border border-base-300 bg-white px-3 py-2 text-sm text-base-master focus:border-primary focus:outline-none focus:ring-1 focus:ring-primary'
