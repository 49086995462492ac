/**
 * The page a tablet opens to trust the laptop's certificate authority: plain words, in Dutch
 * first and English below, per kind of tablet. Served over plain HTTP too (same port), because
 * a tablet that does not trust the certificate yet gets a warning on the HTTPS address.
 * A page of its own, rendered here rather than in the client, so it needs no script at all.
 */
import QRCode from 'qrcode';
import { TRUST_PATHS } from '../shared/connectionMode.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function renderTrustPage(opts: { pageUrl: string; appUrl: string; fingerprint: string }): Promise<string> {
  const qr = await QRCode.toString(opts.pageUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const page = esc(opts.pageUrl);
  const app = esc(opts.appUrl);
  const fp = esc(opts.fingerprint);
  const download = esc(TRUST_PATHS.caCert);
  return `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tafelronde: deze laptop vertrouwen</title>
<style>
  body { font: 18px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #f4f6f8; margin: 0; }
  main { max-width: 44rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  section { background: #fff; border-radius: 12px; padding: 1rem 1.25rem; margin: 1rem 0; }
  h1 { font-size: 1.6rem; margin: 0.5rem 0; }
  h2 { font-size: 1.25rem; margin: 0.25rem 0 0.5rem; }
  a.button { display: inline-flex; align-items: center; min-height: 48px; padding: 0 1.25rem; border-radius: 10px;
    background: #0b5cad; color: #fff; font-weight: 700; text-decoration: none; }
  a.button:focus-visible, a:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 3px; }
  a { color: #0b5cad; }
  ol { padding-left: 1.4rem; }
  li { margin: 0.3rem 0; }
  .qr { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
  .qr svg { width: 160px; height: 160px; }
  code { font-size: 0.85rem; overflow-wrap: anywhere; }
  .note { color: #454f5b; }
</style>
</head>
<body>
<main>
<h1>Deze laptop vertrouwen</h1>
<p>Tafelronde gebruikt hier een beveiligde verbinding met een eigen certificaat van deze laptop.
Vertrouw het certificaat één keer op elke tablet. Daarna opent de app ook als de wifi even weg is,
en blijft het scherm aan.</p>
<p><a class="button" href="${download}" download="tafelronde-ca.crt">Certificaat downloaden</a></p>

<section aria-labelledby="ipad">
<h2 id="ipad">iPad of iPhone</h2>
<ol>
<li>Open deze pagina in <strong>Safari</strong> en tik op <strong>Certificaat downloaden</strong>. Tik op <strong>Sta toe</strong>.</li>
<li>Ga naar <strong>Instellingen</strong>. Tik bovenaan op <strong>Profiel gedownload</strong> en dan op <strong>Installeer</strong>.</li>
<li>Ga naar <strong>Instellingen › Algemeen › Info › Certificaatvertrouwen</strong>. Zet <strong>Tafelronde</strong> aan.</li>
</ol>
</section>

<section aria-labelledby="android">
<h2 id="android">Android</h2>
<ol>
<li>Tik op <strong>Certificaat downloaden</strong>.</li>
<li>Ga naar <strong>Instellingen › Beveiliging</strong> (soms: <em>Biometrie en beveiliging</em> of
<em>Overige beveiligingsinstellingen</em>) › <strong>Certificaat installeren › CA-certificaat</strong>.</li>
<li>Kies het bestand <strong>tafelronde-ca.crt</strong> bij Downloads. Android waarschuwt dat het certificaat meekijkt;
dat geldt alleen voor wie de sleutel heeft, en die blijft op deze laptop.</li>
</ol>
</section>

<section aria-labelledby="managed">
<h2 id="managed">Tablets van de gemeente (beheerd)</h2>
<p>Op beheerde tablets mag u vaak zelf geen certificaat installeren. Geef het bestand
<strong>tafelronde-ca.crt</strong> aan de ICT-afdeling. Zij zetten het als vertrouwd basiscertificaat
op de tablets (bijvoorbeeld met Intune, Jamf of Workspace ONE). Dat hoeft één keer: het certificaat
blijft tien jaar geldig, ook als het adres van de laptop verandert.</p>
</section>

<section aria-labelledby="after">
<h2 id="after">Daarna</h2>
<p>Open de app via <a href="${app}">${app}</a>. U ziet dan geen waarschuwing meer.</p>
<p class="note">Controleren? De vingerafdruk (SHA-256) van het certificaat is:<br><code>${fp}</code></p>
<p class="note">Na de avond kunt u het certificaat weer verwijderen: iPad: Instellingen › Algemeen › VPN en apparaatbeheer.
Android: Instellingen › Beveiliging › Vertrouwde inloggegevens › Gebruiker.</p>
<div class="qr"><span aria-hidden="true">${qr}</span><p>Andere tablet? Scan deze code, of typ<br><code>${page}</code></p></div>
</section>

<section lang="en" aria-labelledby="en">
<h2 id="en">In English</h2>
<p>This laptop serves Tafelronde over HTTPS with a certificate authority of its own. Trust it once on each tablet;
then the app opens even while the Wi-Fi is gone, and the screen stays on.
<a href="${download}" download="tafelronde-ca.crt">Download the certificate</a>.</p>
<p><strong>iPad/iPhone:</strong> open this page in Safari, download and allow; Settings › Profile Downloaded › Install;
then Settings › General › About › Certificate Trust Settings and switch on Tafelronde.
<strong>Android:</strong> download; Settings › Security › Install a certificate › CA certificate, and pick the file.
<strong>Managed tablets:</strong> give the file to IT to deploy as a trusted root certificate.
Then open <a href="${app}">${app}</a>. SHA-256 fingerprint: <code>${fp}</code>.</p>
</section>
</main>
</body>
</html>
`;
}
