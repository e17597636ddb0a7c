<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>AccountDialog</name>
    <message>
        <source>Unexpected error: {error}</source>
        <translation>未預期的錯誤：{error}</translation>
    </message>
    <message>
        <source>The password must have at least 10 characters.</source>
        <translation>密碼至少需 10 個字元。</translation>
    </message>
    <message>
        <source>The password must mix letters with digits or symbols.</source>
        <translation>密碼須混合英文字母與數字或符號。</translation>
    </message>
    <message>
        <source>Please enter a username.</source>
        <translation>請輸入帳號。</translation>
    </message>
    <message>
        <source>This username is already taken.</source>
        <translation>此帳號已被使用。</translation>
    </message>
    <message>
        <source>An administrator already exists; please sign in.</source>
        <translation>系統管理員已存在，請直接登入。</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>帳號或密碼錯誤。</translation>
    </message>
    <message>
        <source>Please wait…</source>
        <translation>請稍候…</translation>
    </message>
</context>
<context>
    <name>AcknowledgeDialog</name>
    <message>
        <source>Acknowledge alert</source>
        <translation>確認警示</translation>
    </message>
    <message>
        <source>Optional note, e.g. who was called</source>
        <translation>備註（選填），例如已聯繫何人</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>確認</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>備註</translation>
    </message>
</context>
<context>
    <name>BootstrapDialog</name>
    <message>
        <source>Create the administrator</source>
        <translation>建立系統管理員</translation>
    </message>
    <message>
        <source>No administrator exists yet. Create the first administrator account; no default password is shipped.</source>
        <translation>系統尚無管理員。請建立第一個系統管理員帳號；本系統不提供預設密碼。</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密碼</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>再次輸入密碼</translation>
    </message>
    <message>
        <source>The passwords do not match.</source>
        <translation>兩次輸入的密碼不一致。</translation>
    </message>
</context>
<context>
    <name>CaseMessages</name>
    <message>
        <source>This alert no longer exists.</source>
        <translation>此警示已不存在。</translation>
    </message>
    <message>
        <source>This case no longer exists.</source>
        <translation>此案件已不存在。</translation>
    </message>
    <message>
        <source>This alert has already been acknowledged.</source>
        <translation>此警示已被確認。</translation>
    </message>
    <message>
        <source>Please give a reason.</source>
        <translation>請填寫理由。</translation>
    </message>
    <message>
        <source>An alert can be shelved for at most 24 hours.</source>
        <translation>警示最多只能擱置 24 小時。</translation>
    </message>
    <message>
        <source>This alert cannot be shelved in its current state.</source>
        <translation>此警示目前的狀態不能擱置。</translation>
    </message>
    <message>
        <source>This alert is closed.</source>
        <translation>此警示已結案。</translation>
    </message>
    <message>
        <source>The playbook has moved on; the screen was reloaded.</source>
        <translation>處理步驟已有變動，畫面已重新載入。</translation>
    </message>
    <message>
        <source>Fill in every required record before saving this outcome.</source>
        <translation>請先填妥所有必要紀錄再儲存此處理結果。</translation>
    </message>
    <message>
        <source>The note is empty.</source>
        <translation>備註內容空白。</translation>
    </message>
    <message>
        <source>Only images (PNG, JPEG, GIF, WebP) and PDF files can be attached.</source>
        <translation>僅能附加影像（PNG、JPEG、GIF、WebP）或 PDF 檔。</translation>
    </message>
    <message>
        <source>Attachments must be between 1 byte and 20 MB.</source>
        <translation>附件大小須介於 1 位元組至 20 MB。</translation>
    </message>
    <message>
        <source>The case is not in handling (it awaits sign-off or is closed).</source>
        <translation>案件不在處理中（待陳核或已結案）。</translation>
    </message>
    <message>
        <source>Finish the playbook steps before requesting sign-off.</source>
        <translation>請先完成處理步驟再陳核。</translation>
    </message>
    <message>
        <source>Without images or CCTV the cargo must be traced before sign-off.</source>
        <translation>無系統影像亦無監視影像時，須先追查貨物去向方可陳核。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>帳號或密碼錯誤。</translation>
    </message>
    <message>
        <source>This case is not awaiting sign-off.</source>
        <translation>此案件不在待陳核狀態。</translation>
    </message>
    <message>
        <source>Your role cannot sign or close at this level.</source>
        <translation>您的職務層級不足，無法核定或結案。</translation>
    </message>
    <message>
        <source>The case must be signed off before it can be closed.</source>
        <translation>案件須經核定後才能結案。</translation>
    </message>
    <message>
        <source>The action is not allowed now.</source>
        <translation>目前不允許此操作。</translation>
    </message>
    <message>
        <source>Changed on another workstation — reloaded.</source>
        <translation>已由其他工作站變更 — 已重新載入。</translation>
    </message>
</context>
<context>
    <name>CasePanel</name>
    <message>
        <source>In handling</source>
        <translation>處理中</translation>
    </message>
    <message>
        <source>Awaiting sign-off</source>
        <translation>待陳核</translation>
    </message>
    <message>
        <source>Returned for more handling</source>
        <translation>退回補正</translation>
    </message>
    <message>
        <source>Signed off</source>
        <translation>已核定</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已結案</translation>
    </message>
    <message>
        <source>Case opened</source>
        <translation>開立案件</translation>
    </message>
    <message>
        <source>Step outcome</source>
        <translation>步驟結果</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>備註</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>佐證</translation>
    </message>
    <message>
        <source>Sign-off requested</source>
        <translation>送陳核</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>核定</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>異常事實</translation>
    </message>
    <message>
        <source>Optional note on this step</source>
        <translation>本步驟備註（選填）</translation>
    </message>
    <message>
        <source>Record outcome</source>
        <translation>登錄處理結果</translation>
    </message>
    <message>
        <source>Playbook (SOP)</source>
        <translation>處理程序（SOP）</translation>
    </message>
    <message>
        <source>System exit/entry images (電子封條系統影像)</source>
        <translation>電子封條系統有出進站影像紀錄</translation>
    </message>
    <message>
        <source>Operator CCTV captured (業者監視影像)</source>
        <translation>已擷取業者監視系統影像紀錄</translation>
    </message>
    <message>
        <source>Cargo traced (已追查貨物去向)</source>
        <translation>已追查貨物去向</translation>
    </message>
    <message>
        <source>Save evidence</source>
        <translation>儲存佐證</translation>
    </message>
    <message>
        <source>Request sign-off</source>
        <translation>送陳核</translation>
    </message>
    <message>
        <source>Close case</source>
        <translation>結案</translation>
    </message>
    <message>
        <source>Evidence and sign-off</source>
        <translation>佐證與陳核</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>By</source>
        <translation>人員</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>動作</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>內容</translation>
    </message>
    <message>
        <source>備註登錄 — what was done, who was called</source>
        <translation>備註登錄 — 辦理情形、聯繫對象</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>新增備註</translation>
    </message>
    <message>
        <source>Add image or PDF…</source>
        <translation>附加影像或 PDF…</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>單位</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>電話</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>服務時間</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>處理歷程</translation>
    </message>
    <message>
        <source>Notes (備註登錄)</source>
        <translation>備註登錄</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Contact windows</source>
        <translation>聯絡窗口</translation>
    </message>
    <message>
        <source>CN {v}</source>
        <translation>運送單 {v}</translation>
    </message>
    <message>
        <source>Container {v}</source>
        <translation>櫃號 {v}</translation>
    </message>
    <message>
        <source>Plate {v}</source>
        <translation>車牌 {v}</translation>
    </message>
    <message>
        <source>Seal {v}</source>
        <translation>封條 {v}</translation>
    </message>
    <message>
        <source>Driver {v}</source>
        <translation>駕駛 {v}</translation>
    </message>
    <message>
        <source>Handled by {side}</source>
        <translation>處理方：{side}</translation>
    </message>
    <message>
        <source>Raised {time}</source>
        <translation>發生 {time}</translation>
    </message>
    <message>
        <source>Playbook complete</source>
        <translation>處理步驟已完成</translation>
    </message>
    <message>
        <source>No records were required.</source>
        <translation>無須登錄紀錄。</translation>
    </message>
    <message>
        <source>Current step: {step}</source>
        <translation>目前步驟：{step}</translation>
    </message>
    <message>
        <source>⚠ DUE since {time}: escalate now</source>
        <translation>⚠ 已於 {time} 屆期：請立即通報處理</translation>
    </message>
    <message>
        <source>Due at {time}</source>
        <translation>屆期時間 {time}</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>核定</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Sign-off level: {level}</source>
        <translation>陳核層級：{level}</translation>
    </message>
    <message>
        <source>No images and no CCTV: trace where the cargo went before sign-off.</source>
        <translation>無系統影像亦無監視影像：陳核前須追查貨物去向。</translation>
    </message>
    <message>
        <source>Sent to: {level}</source>
        <translation>已送：{level}</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>儲存中…</translation>
    </message>
    <message>
        <source>Choose how the step turned out.</source>
        <translation>請選擇本步驟的處理結果。</translation>
    </message>
    <message>
        <source>Step recorded — saved.</source>
        <translation>處理結果已登錄 — 已儲存。</translation>
    </message>
    <message>
        <source>Note added — saved.</source>
        <translation>備註已新增 — 已儲存。</translation>
    </message>
    <message>
        <source>Attach image or PDF</source>
        <translation>附加影像或 PDF</translation>
    </message>
    <message>
        <source>Images and PDF (*.png *.jpg *.jpeg *.gif *.webp *.pdf)</source>
        <translation>影像及 PDF (*.png *.jpg *.jpeg *.gif *.webp *.pdf)</translation>
    </message>
    <message>
        <source>Attachment added — saved.</source>
        <translation>附件已新增 — 已儲存。</translation>
    </message>
    <message>
        <source>Evidence saved.</source>
        <translation>佐證已儲存。</translation>
    </message>
    <message>
        <source>Sent for sign-off — saved.</source>
        <translation>已送陳核 — 已儲存。</translation>
    </message>
    <message>
        <source>Case closed — saved.</source>
        <translation>已結案 — 已儲存。</translation>
    </message>
    <message>
        <source>The action failed; the error was logged.</source>
        <translation>操作失敗，錯誤已記錄。</translation>
    </message>
</context>
<context>
    <name>FactsPanel</name>
    <message>
        <source>unknown yet</source>
        <translation>尚未得知</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>經度</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>緯度</translation>
    </message>
    <message>
        <source>No track excerpt (passive seals are read only at the ends).</source>
        <translation>無軌跡資料（被動式封條僅於起訖點讀取）。</translation>
    </message>
    <message>
        <source>System images present</source>
        <translation>系統有出進站影像</translation>
    </message>
    <message>
        <source>Unsealed normally at destination</source>
        <translation>到站順利解封</translation>
    </message>
    <message>
        <source>Seal state history</source>
        <translation>封條狀態紀錄</translation>
    </message>
    <message>
        <source>{n} fixes, last at {time}</source>
        <translation>{n} 筆定位，最後 {time}</translation>
    </message>
</context>
<context>
    <name>FeedStatus</name>
    <message>
        <source>■ Feed: not started</source>
        <translation>■ 資料來源：未啟動</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>已中斷連線</translation>
    </message>
    <message>
        <source>no new data from the central ingest</source>
        <translation>未收到中央接收服務的新資料</translation>
    </message>
    <message>
        <source>no message for {seconds:.0f} s</source>
        <translation>已 {seconds:.0f} 秒無訊息</translation>
    </message>
    <message>
        <source>silent</source>
        <translation>無訊息</translation>
    </message>
    <message>
        <source>▲ Feed degraded: {reason}</source>
        <translation>▲ 資料來源異常：{reason}</translation>
    </message>
    <message>
        <source>● Feed connected</source>
        <translation>● 資料來源已連線</translation>
    </message>
    <message>
        <source>{rate:.1f} msg/s</source>
        <translation>每秒 {rate:.1f} 則</translation>
    </message>
    <message>
        <source>no message yet</source>
        <translation>尚無訊息</translation>
    </message>
    <message>
        <source>last message {age:.0f} s ago</source>
        <translation>最後訊息 {age:.0f} 秒前</translation>
    </message>
    <message>
        <source>dead letters {count}</source>
        <translation>無效訊息 {count} 則</translation>
    </message>
</context>
<context>
    <name>Inbox</name>
    <message>
        <source>Unacknowledged</source>
        <translation>未確認</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已確認</translation>
    </message>
    <message>
        <source>Shelved</source>
        <translation>擱置</translation>
    </message>
    <message>
        <source>In handling</source>
        <translation>處理中</translation>
    </message>
    <message>
        <source>Awaiting sign-off</source>
        <translation>待陳核</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已結案</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>起運地</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>運往地</translation>
    </message>
    <message>
        <source>Both</source>
        <translation>起訖兩地</translation>
    </message>
    <message>
        <source>JMC</source>
        <translation>聯管中心</translation>
    </message>
    <message>
        <source>Keelung Customs</source>
        <translation>基隆關</translation>
    </message>
    <message>
        <source>Taipei Customs</source>
        <translation>臺北關</translation>
    </message>
    <message>
        <source>Taichung Customs</source>
        <translation>臺中關</translation>
    </message>
    <message>
        <source>Kaohsiung Customs</source>
        <translation>高雄關</translation>
    </message>
    <message>
        <source>National</source>
        <translation>全國</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m} 分</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} 時 {m} 分</translation>
    </message>
    <message>
        <source>{d} d</source>
        <translation>{d} 天</translation>
    </message>
</context>
<context>
    <name>InboxModel</name>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>等級</translation>
    </message>
    <message>
        <source>CN / container / plate</source>
        <translation>運送單／櫃號／車牌</translation>
    </message>
    <message>
        <source>Origin → destination</source>
        <translation>起運地 → 運往地</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>處理方</translation>
    </message>
    <message>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>承辦人</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>經過</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>次數</translation>
    </message>
    <message>
        <source>Shelved until {time}</source>
        <translation>擱置至 {time}</translation>
    </message>
    <message>
        <source>{name} — seal {seal}; {n} occurrence(s), last at {last}</source>
        <translation>{name} — 封條 {seal}；發生 {n} 次，最後 {last}</translation>
    </message>
</context>
<context>
    <name>InboxPanel</name>
    <message>
        <source>Search CN, container, plate or seal</source>
        <translation>搜尋運送單號、櫃號、車牌或封條號</translation>
    </message>
    <message>
        <source>All open</source>
        <translation>全部未結案</translation>
    </message>
    <message>
        <source>All, closed included</source>
        <translation>全部（含已結案）</translation>
    </message>
    <message>
        <source>All alert types</source>
        <translation>全部警示類別</translation>
    </message>
    <message>
        <source>Both seal families</source>
        <translation>全部封條類型</translation>
    </message>
    <message>
        <source>Vehicle seals</source>
        <translation>車機封條</translation>
    </message>
    <message>
        <source>Passive / e-paper seals</source>
        <translation>被動式／電子紙封條</translation>
    </message>
    <message>
        <source>All customs houses</source>
        <translation>全部關區</translation>
    </message>
    <message>
        <source>All stations</source>
        <translation>全部站點</translation>
    </message>
    <message>
        <source>Anyone&apos;s</source>
        <translation>全部承辦人</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的案件</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>未指派</translation>
    </message>
    <message>
        <source>Group by cause</source>
        <translation>依原因分組</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>警示數</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>等級</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>地點</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Acknowledge…</source>
        <translation>確認…</translation>
    </message>
    <message>
        <source>Shelve…</source>
        <translation>擱置…</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>開啟案件</translation>
    </message>
    <message>
        <source>Silence alarm</source>
        <translation>靜音</translation>
    </message>
    <message>
        <source>⚠ Alert flood: {n} alerts in 10 minutes — {g} causes</source>
        <translation>⚠ 警示湧入：10 分鐘內 {n} 則 — {g} 個原因</translation>
    </message>
    <message>
        <source>Cause: {name} — {ids}</source>
        <translation>原因：{name} — {ids}</translation>
    </message>
    <message>
        <source>Same alert at one station: {name}</source>
        <translation>同站同類警示：{name}</translation>
    </message>
    <message>
        <source>Same origin: {codes}</source>
        <translation>同一起運地：{codes}</translation>
    </message>
    <message>
        <source>{n} alerts</source>
        <translation>{n} 則警示</translation>
    </message>
    <message>
        <source>Select an unacknowledged alert first.</source>
        <translation>請先選擇一則未確認的警示。</translation>
    </message>
    <message>
        <source>Select an unacknowledged or acknowledged alert first.</source>
        <translation>請先選擇一則未確認或已確認的警示。</translation>
    </message>
    <message>
        <source>Acknowledged — saved.</source>
        <translation>已確認 — 已儲存。</translation>
    </message>
    <message>
        <source>Shelved — saved.</source>
        <translation>已擱置 — 已儲存。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>儲存中…</translation>
    </message>
    <message>
        <source>Select one alert to open its case.</source>
        <translation>請選擇一則警示以開啟案件。</translation>
    </message>
    <message>
        <source>The action failed; the error was logged.</source>
        <translation>操作失敗，錯誤已記錄。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in</source>
        <translation>登入</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密碼</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Joint Management Center — Container Monitoring</source>
        <translation>聯合管理中心 — 貨櫃全程監控</translation>
    </message>
    <message>
        <source>Trips</source>
        <translation>車輛動態</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>地圖</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>站點</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>檢視(&amp;V)</translation>
    </message>
    <message>
        <source>Find trip (CN / plate / container)</source>
        <translation>查詢車輛（CN／車牌／櫃號）</translation>
    </message>
    <message>
        <source>Wall screen mode</source>
        <translation>電視牆模式</translation>
    </message>
    <message>
        <source>Reset layout</source>
        <translation>重設版面</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>語言(&amp;L)</translation>
    </message>
    <message>
        <source>User: {name} ({role})</source>
        <translation>使用者：{name}（{role}）</translation>
    </message>
    <message>
        <source>Database: {db}</source>
        <translation>資料庫：{db}</translation>
    </message>
    <message>
        <source>Taipei time {time}</source>
        <translation>臺北時間 {time}</translation>
    </message>
    <message>
        <source>Simulated fleet running</source>
        <translation>模擬車隊運行中</translation>
    </message>
    <message>
        <source>The feed could not start: {error}</source>
        <translation>資料來源無法啟動：{error}</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Duty officer</source>
        <translation>值勤關員</translation>
    </message>
    <message>
        <source>Section chief</source>
        <translation>股長</translation>
    </message>
    <message>
        <source>Division chief</source>
        <translation>課長</translation>
    </message>
    <message>
        <source>Unit head</source>
        <translation>一級主管</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>技術人員</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>系統管理員</translation>
    </message>
</context>
<context>
    <name>ShelveDialog</name>
    <message>
        <source>Shelve alert</source>
        <translation>擱置警示</translation>
    </message>
    <message>
        <source>{n} minutes</source>
        <translation>{n} 分鐘</translation>
    </message>
    <message>
        <source>{n} hours</source>
        <translation>{n} 小時</translation>
    </message>
    <message>
        <source>Required: why this alert may wait</source>
        <translation>必填：此警示可暫緩的理由</translation>
    </message>
    <message>
        <source>Shelve</source>
        <translation>擱置</translation>
    </message>
    <message>
        <source>Shelve for</source>
        <translation>擱置時間</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>The alert returns unacknowledged when the time runs out.</source>
        <translation>時間到後警示將恢復為未確認。</translation>
    </message>
</context>
<context>
    <name>SignOff</name>
    <message>
        <source>股長 (section chief)</source>
        <translation>股長</translation>
    </message>
    <message>
        <source>課長 (division chief)</source>
        <translation>課長</translation>
    </message>
    <message>
        <source>一級單位主管 (head of unit)</source>
        <translation>一級單位主管</translation>
    </message>
</context>
<context>
    <name>SignOffDialog</name>
    <message>
        <source>Sign off case</source>
        <translation>案件核定</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>核定</translation>
    </message>
    <message>
        <source>Return for more handling</source>
        <translation>退回補正</translation>
    </message>
    <message>
        <source>Required when returning: what is missing</source>
        <translation>退回時必填：需補正事項</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>簽核</translation>
    </message>
    <message>
        <source>Sign-off level: {level}</source>
        <translation>陳核層級：{level}</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密碼</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>決定</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
</context>
<context>
    <name>SignOffQueue</name>
    <message>
        <source>Awaiting sign-off by {level}</source>
        <translation>待 {level} 核定</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>開案時間</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>等級</translation>
    </message>
    <message>
        <source>CN</source>
        <translation>運送單</translation>
    </message>
    <message>
        <source>Container</source>
        <translation>櫃號</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>承辦人</translation>
    </message>
    <message>
        <source>Sign…</source>
        <translation>簽核…</translation>
    </message>
    <message>
        <source>View case</source>
        <translation>檢視案件</translation>
    </message>
    <message>
        <source>Select a case first.</source>
        <translation>請先選擇案件。</translation>
    </message>
    <message>
        <source>Case {id}: {code} {name}, CN {cn}</source>
        <translation>案件 {id}：{code} {name}，運送單 {cn}</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>儲存中…</translation>
    </message>
    <message>
        <source>Case {id} approved — saved.</source>
        <translation>案件 {id} 已核定 — 已儲存。</translation>
    </message>
    <message>
        <source>Case {id} returned — saved.</source>
        <translation>案件 {id} 已退回 — 已儲存。</translation>
    </message>
    <message>
        <source>The action failed; the error was logged.</source>
        <translation>操作失敗，錯誤已記錄。</translation>
    </message>
</context>
<context>
    <name>StationsPanel</name>
    <message>
        <source>Code</source>
        <translation>代碼</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>站點名稱</translation>
    </message>
    <message>
        <source>English name</source>
        <translation>英文名稱</translation>
    </message>
    <message>
        <source>Customs house</source>
        <translation>關別</translation>
    </message>
</context>
<context>
    <name>TripsPanel</name>
    <message>
        <source>Lock on: CN number, plate or container number</source>
        <translation>即時監控：輸入 CN 單號、車牌或櫃號</translation>
    </message>
    <message>
        <source>CN</source>
        <translation>CN 單號</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>車牌</translation>
    </message>
    <message>
        <source>Container</source>
        <translation>櫃號</translation>
    </message>
    <message>
        <source>Origin → destination</source>
        <translation>起運地 → 目的地</translation>
    </message>
    <message>
        <source>State</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩餘時間</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>警示</translation>
    </message>
    <message>
        <source>Driver</source>
        <translation>駕駛</translation>
    </message>
    <message>
        <source>Seal</source>
        <translation>封條</translation>
    </message>
    <message>
        <source>Battery</source>
        <translation>電量</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>到站期限</translation>
    </message>
    <message>
        <source>Moving</source>
        <translation>行駛中</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>停留</translation>
    </message>
    <message>
        <source>Lost contact</source>
        <translation>失聯</translation>
    </message>
    <message>
        <source>Read at exit and arrival only</source>
        <translation>僅出站與到站讀取</translation>
    </message>
    <message>
        <source>Track at {time}</source>
        <translation>軌跡時間 {time}</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <source>Joint Management Center — wall screen</source>
        <translation>聯合管理中心 — 電視牆</translation>
    </message>
    <message>
        <source>Trips on the road</source>
        <translation>運送中車輛</translation>
    </message>
    <message>
        <source>Trips with open alerts</source>
        <translation>有警示車輛</translation>
    </message>
    <message>
        <source>Lost contact</source>
        <translation>失聯</translation>
    </message>
    <message>
        <source>No new alerts</source>
        <translation>目前無新警示</translation>
    </message>
</context>
</TS>
