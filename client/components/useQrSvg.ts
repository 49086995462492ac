/** A QR code of a URL as SVG markup (the qrcode library draws only shapes), or null until made. */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

export function useQrSvg(url: string): string | null {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } }).then(
      (s) => live && setSvg(s),
      () => live && setSvg(null),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return svg;
}
