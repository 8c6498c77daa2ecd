/// The report's inline stylesheet and its few lines of script.
enum ReportStyle {
    /// System fonts only (no web fonts: the page loads nothing); colours meet WCAG AA contrast on their backgrounds.
    static let css = """
        :root{--bg:#f5f6f8;--card:#fff;--ink:#1c2430;--muted:#4f5b69;--line:#d9dee5;--accent:#0f6e66;--before:#8a94a3;--after:#0f8a7e;--mark:#fff1a8}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}
        .page-header{background:#17202b;color:#f4f6f8;padding:20px max(16px,calc((100% - 1240px)/2)) 12px}
        .page-header h1{margin:0 0 4px;font-size:1.6rem;font-weight:650;letter-spacing:-.01em;overflow-wrap:anywhere}
        .subtitle{margin:0 0 12px;color:#c9d1db}
        nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px}
        nav a{color:#9fe3da;text-decoration:none;font-weight:550}
        nav a:hover,nav a:focus{text-decoration:underline}
        main{max-width:1240px;margin:0 auto;padding:8px 16px 32px}
        section{margin:28px 0}
        h2{font-size:1.35rem;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
        h3{font-size:1.05rem;margin:18px 0 8px}
        h4{font-size:1rem;margin:0 0 4px}
        a{color:var(--accent)}
        code{font:13px/1.4 ui-monospace,"DejaVu Sans Mono",monospace;overflow-wrap:anywhere}
        .hash{font-size:12px}
        .muted{color:var(--muted)}
        .empty{padding:14px 16px;background:var(--card);border:1px dashed var(--line);border-radius:8px;color:var(--muted)}
        .warning{padding:10px 14px;background:#fff4e5;border-left:4px solid #b35c00;border-radius:4px}
        .more{color:var(--muted);font-style:italic}
        .cards{display:grid;gap:14px}
        .figures{grid-template-columns:repeat(auto-fill,minmax(170px,1fr))}
        .figure-card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 14px}
        .figure-card .label{color:var(--muted);font-size:.85rem}
        .figure-card .value{font-size:1.35rem;font-weight:650}
        .figure-card .value strong{color:var(--accent)}
        .arrow{color:var(--muted);font-weight:400}
        .two-col{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:8px 28px}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}
        dl.facts dt{color:var(--muted)}
        dl.facts dd{margin:0;overflow-wrap:anywhere}
        ul.inputs{padding-left:18px;margin:0}
        .table-wrap{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:10px}
        table{border-collapse:collapse;width:100%;background:var(--card);font-size:.9rem}
        caption{text-align:left;padding:8px 10px;color:var(--muted);font-size:.85rem;caption-side:top}
        th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        thead th{background:#eef1f4;font-weight:600;vertical-align:bottom}
        tbody th{font-weight:600;min-width:7em;overflow-wrap:break-word}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        td.num{white-space:nowrap}
        th button{all:inherit;cursor:pointer}
        th button::after{content:" ⇅";color:var(--muted);font-size:.8em}
        th[aria-sort] button::after{content:" ▲"}
        th[aria-sort=descending] button::after{content:" ▼"}
        th button:focus-visible{outline:2px solid var(--accent)}
        .clusters{grid-template-columns:repeat(auto-fill,minmax(min(100%,380px),1fr))}
        .triggers{grid-template-columns:repeat(auto-fill,minmax(min(100%,360px),1fr))}
        .card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px;box-shadow:0 1px 2px rgba(20,30,40,.06);min-width:0}
        .card h3{margin:0 0 6px;display:flex;justify-content:space-between;align-items:baseline;gap:8px}
        .card .size{font-size:.85rem;font-weight:500;color:var(--muted)}
        .card .stats{margin:0 0 8px;color:var(--muted);font-size:.88rem}
        .badges{margin:0 0 10px}
        .legend{margin:0 0 12px;font-size:.9rem;color:var(--muted)}
        .badge{display:inline-block;white-space:nowrap;padding:1px 8px;border-radius:999px;font-size:.75rem;font-weight:600;line-height:1.6;border:1px solid transparent;vertical-align:middle}
        .ev-exact{background:#fde2e1;color:#8f1d15;border-color:#f5b5b0}
        .ev-phash{background:#dfeafe;color:#1a4597;border-color:#b3cbf8}
        .ev-dhash{background:#dcf3f0;color:#0c5a52;border-color:#a9ded6}
        .ev-pdq{background:#ece3fc;color:#55289e;border-color:#cdb8f3}
        .ev-embedding{background:#fdf0d5;color:#7a4b00;border-color:#f1d08a}
        .ev-other,.rule,.reason{background:#eceff3;color:#34404e;border-color:#d3d9e0}
        .rep{background:#0f6e66;color:#fff}
        .thumb .badge.reason{white-space:normal;overflow-wrap:anywhere;border-radius:8px}
        .thumb .badge{display:block;width:fit-content;max-width:100%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-size:.68rem;padding:0 6px;margin:2px 0}
        .mode-audit{background:#fdf0d5;color:#6b4100}
        .mode-apply{background:#d8f5e6;color:#0d5632}
        .gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(104px,1fr));gap:10px}
        .gallery.small{grid-template-columns:repeat(auto-fill,minmax(92px,1fr))}
        figure{margin:0}
        .thumb{min-width:0}
        .thumb img,.no-thumb{display:block;width:100%;aspect-ratio:1;object-fit:contain;background:#e9ecf0;border-radius:6px;border:1px solid var(--line)}
        .thumb.representative img{outline:3px solid var(--accent);outline-offset:-3px}
        .no-thumb{display:flex;align-items:center;justify-content:center;color:var(--muted);font-size:.8rem}
        figcaption{font-size:.75rem;line-height:1.35;margin-top:4px;overflow-wrap:anywhere}
        figcaption .key{display:block;font-family:ui-monospace,"DejaVu Sans Mono",monospace;color:var(--muted);font-size:.7rem}
        figcaption .cap{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
        mark{background:var(--mark);color:inherit;padding:0 1px;border-radius:2px}
        details{margin-top:10px;font-size:.88rem}
        summary{cursor:pointer;color:var(--accent);font-weight:550}
        ul.captions{padding-left:18px;margin:6px 0 0}
        h3.sub{margin-top:22px}
        .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,560px),1fr));gap:14px}
        .chart{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:12px;padding:12px}
        svg.bars{display:block;font-size:14px;min-width:520px;height:auto}
        svg .bar.before{fill:var(--before)}
        svg .bar.after{fill:var(--after)}
        svg .label,svg .legend,svg .value{fill:var(--ink)}
        svg .value.muted{fill:var(--muted);font-style:italic}
        svg .chart-title{font-weight:650;font-size:15px;fill:var(--ink)}
        svg .axis{stroke:var(--line)}
        ol.rewrites{list-style:none;padding:0;margin:0;display:grid;gap:10px}
        .rewrite{display:grid;grid-template-columns:96px 1fr;gap:12px;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px}
        .rewrite figcaption{display:none}
        .diff p{margin:0 0 4px;overflow-wrap:anywhere}
        .diff .before{color:#7a1f17}
        .diff .after{color:#0d5632}
        .diff del{background:#fde2e1;text-decoration:line-through;border-radius:2px}
        .diff ins{background:#d8f5e6;text-decoration:none;border-radius:2px}
        .tag{display:inline-block;min-width:48px;font-size:.72rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
        footer{max-width:1240px;margin:0 auto;padding:16px;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line)}
        @media (max-width:600px){body{font-size:14px}.page-header h1{font-size:1.3rem}.gallery{grid-template-columns:repeat(auto-fill,minmax(84px,1fr))}.rewrite{grid-template-columns:64px 1fr}}
        @media print{.page-header{background:none;color:#000}nav{display:none}}
        """

    /// SHA-256 of `script`, base64, for the page's Content-Security-Policy: only this exact script may run, so even
    /// markup that slipped past escaping could not execute. `ReportPolicyTests` recomputes it, so a script edit
    /// without a new hash fails the tests (and in a browser the tables would stay unsortable).
    static let scriptHash = "sha256-ofv9kHTFPA+II+OMqgBDofCoCN/zdaaCPQauNPwFhM8="

    /// Makes `table.sortable` columns sortable by clicking their heading; the page reads the same without it.
    static let script = """
        document.querySelectorAll("table.sortable").forEach(function(table){
          table.querySelectorAll("thead th[data-sort]").forEach(function(th){
            var button=document.createElement("button");button.type="button";button.textContent=th.textContent;th.textContent="";th.appendChild(button);
            button.addEventListener("click",function(){
              var body=table.tBodies[0],col=th.cellIndex,num=th.dataset.sort==="num",desc=th.getAttribute("aria-sort")!=="descending";
              table.querySelectorAll("thead th").forEach(function(h){h.removeAttribute("aria-sort")});
              th.setAttribute("aria-sort",desc?"descending":"ascending");
              var rows=Array.prototype.slice.call(body.rows),key=function(r){var c=r.cells[col];var v=c.dataset.v;return num?(v===""||v===undefined?-Infinity:parseFloat(v)):c.textContent.toLowerCase()};
              rows.sort(function(a,b){var x=key(a),y=key(b);var o=x<y?-1:x>y?1:0;return desc?-o:o});
              rows.forEach(function(r){body.appendChild(r)});
            });
          });
        });
        """
}
