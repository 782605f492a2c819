export default function Home() {
  return (
    <main className="mx-auto max-w-[720px] p-8">
      <h1 className="text-2xl font-semibold">Моё дело для Битрикс24</h1>
      <p className="mt-4 text-base-900">
        Это приложение Битрикс24. Оно открывается изнутри портала: в карточке сделки (вкладка «Счета и
        оплаты», кнопка «Выставить счёт»), в карточке компании (вкладка «Расчёты») и на странице
        настроек приложения.
      </p>
      <p className="mt-2 text-base-800">
        This is a Bitrix24 application: open it from your Bitrix24 portal.
      </p>
    </main>
  )
}
