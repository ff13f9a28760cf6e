/** The review page's style sheet and its one script (remembers the reviewer's name in this browser). */
import { CLAIMS_CSS } from './claims-html.js';
export const CSS = `
*,*::before,*::after{box-sizing:border-box}
body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa;overflow-wrap:break-word}
a,.muted,td{overflow-wrap:anywhere}table.facts th{white-space:nowrap}
header{background:#17324d;color:#fff;padding:.6rem 1rem}header a{color:#fff;margin-right:1rem}
.skip{position:absolute;left:-999rem;top:0;background:#fff;color:#17324d;padding:.5rem 1rem;z-index:1}.skip:focus{left:1rem}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
main{padding:1rem;max-width:110rem}
table{border-collapse:collapse;max-width:100%}th,td{padding:.3rem .5rem;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:600;padding:.3rem 0}
table.queue,table.log{width:100%}table.queue tr,table.log tr{border-bottom:1px solid #ddd}
.class-material{color:#8a1c1c;font-weight:600}.class-wording{color:#6b5000}.class-cosmetic{color:#555}
.reasons{margin:.2rem 0 0;padding-left:1.1rem;font-size:.9em;color:#444}
table.diff{width:100%;table-layout:fixed;font:14px/1.4 ui-monospace,monospace;background:#fff}
table.diff col.ln{width:3rem}
table.diff td.ln{color:#595959;text-align:right;user-select:none}
table.diff td.old,table.diff td.new{white-space:pre-wrap;overflow-wrap:anywhere}
table.diff tr.skip td{color:#595959;background:#eee;text-align:center}
del.del{background:#fcd4d4;text-decoration:line-through}ins.ins{background:#cdf2d0;text-decoration:none}
td.empty{background:#f0f0f0}
mark.ungrounded{background:#ffd24d;outline:2px solid #c00}
.warning{border-left:4px solid #c00;background:#fff0f0;padding:.5rem 1rem}
.ok{border-left:4px solid #2a7a2a;background:#eefbee;padding:.5rem 1rem}
.msg-error{border-left:4px solid #c00;background:#fff0f0;padding:.5rem 1rem}
section{background:#fff;border:1px solid #ddd;padding:.5rem 1rem;margin:1rem 0}
textarea{width:100%;min-height:10rem;font:inherit}
label{display:block;margin:.4rem 0}input[type=text]{width:30rem;max-width:100%}
button{font:inherit;padding:.3rem 1rem;margin:.2rem .5rem .2rem 0}
.muted{color:#595959}
@media (max-width:48rem){
main{padding:.5rem}section{padding:.5rem}
table.queue thead,table.log thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.queue tr,table.log tr{display:block;padding:.4rem 0}table.queue td,table.log td{display:block;padding:.1rem .3rem}
table.diff,table.diff tbody,table.diff thead{display:block}
table.diff tr{display:grid;grid-template-columns:2.2rem minmax(0,1fr)}
table.diff th,table.diff tr.skip td{grid-column:1/-1}table.diff col{display:none}
table.diff td.none,table.diff tr.eq td:nth-child(-n+2){display:none}
table.diff tr.change td.old,table.diff tr.del td.old{background:#fff5f5;border-top:1px dashed #ddd}table.diff tr.change td.new,table.diff tr.add td.new{background:#f3fcf4}
table.diff tr.change td.old::before,table.diff tr.del td.old::before{content:"Før: ";font-weight:600}table.diff tr.change td.new::before,table.diff tr.add td.new::before{content:"Nå: ";font-weight:600}
}
${CLAIMS_CSS}`;

/**
 * Remembers the last name typed into the reviewer field in this browser (localStorage) and fills
 * it in next time: progressive enhancement, the form works the same without it. Nothing is
 * prefilled by the server, so a decision is never logged under a name the editor did not give.
 */
export const REMEMBER_NAME = `(function(){var k='eti.reviewer';var f=document.querySelector('input[name=reviewer]');if(!f||!f.form)return;try{if(!f.value)f.value=localStorage.getItem(k)||'';f.form.addEventListener('submit',function(){var v=f.value.trim();if(v)localStorage.setItem(k,v)})}catch(e){}})();`;

/** A whole page: the layout around `body`. `nonce` allows only this response's own style element. */
