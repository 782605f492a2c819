import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import './globals.css'

export const metadata: Metadata = {
  title: 'Моё дело для Битрикс24',
  description: 'Счета, оплаты и контрагенты между Битрикс24 и «Моё дело» без ручного переноса',
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="ru">
      <body className="font-b24-system text-base-master bg-white antialiased">{children}</body>
    </html>
  )
}
