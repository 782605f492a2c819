// Bitrix24 design tokens (colours, fonts, sizes) come from the b24style Tailwind plugin.
import b24style from '@bitrix24/b24style'

const config = {
  content: ['./app/**/*.{ts,tsx}', './components/**/*.{ts,tsx}'],
  plugins: [b24style({ useLocalFonts: false })],
}

export default config
