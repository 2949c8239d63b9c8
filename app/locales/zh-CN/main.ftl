## 通用
app-name = 孵化
app-subtitle = 孵化载体管理平台
nav-main = 主导航
nav-overview = 概览
nav-carriers = 载体名录
switch-language = English
switch-language-label = 切换语言
skip-to-content = 跳到正文
footer-text = 孵化 · 科技企业孵化载体管理平台
loading = 正在加载…
not-available = —

## 概览
overview-title = 孵化载体概览
overview-lead = 全市在册孵化载体（不含已归档）的分布情况。
overview-total = 在册载体
overview-by-kind = 按类型
overview-by-level = 按认定级别
overview-by-model = 按运营模式
overview-by-district = 按区县
overview-district = 区县
overview-count = 载体数
overview-see-registry = 查看载体名录

## 载体名录
carriers-title = 载体名录
carriers-new = 登记新载体
carriers-filters = 筛选条件
carriers-search = 关键词
carriers-search-hint = 名称、运营单位或地址
carriers-any = 全部
carriers-include-archived = 包含已归档
carriers-sort = 排序
carriers-sort-name = 名称
carriers-sort-opened = 启用日期
carriers-sort-level = 认定级别
carriers-sort-district = 区县
carriers-sort-updated = 最近更新
carriers-direction = 顺序
carriers-ascending = 升序
carriers-descending = 降序
carriers-apply = 筛选
carriers-reset = 清除条件
carriers-found = 共 { $count } 个载体
carriers-empty = 没有符合条件的载体。
carriers-archived-badge = 已归档
carriers-page = 第 { $page } / { $pages } 页
carriers-previous = 上一页
carriers-next = 下一页
carriers-pagination = 分页

## 载体字段
field-name = 载体名称
field-kind = 载体类型
field-level = 认定级别
field-level-year = 认定年份
field-level-year-hint = 获得该级别认定的年份；未认定则留空。
field-district = 所在区县
field-operator-org = 运营单位
field-model = 运营模式
field-address = 地址
field-opened-on = 启用日期
field-industries = 重点产业
field-industries-hint = 可多选。
field-contact-name = 联系人
field-contact-phone = 联系电话
field-contact-phone-hint = 手机号，或带区号的座机号码（如 0539-8123456）。
field-contact-email = 电子邮箱
field-optional = （选填）
field-created-at = 登记时间
field-updated-at = 最后更新
field-choose = 请选择
accreditation-granted = { $level }（{ $year } 年认定）

## 载体详情与表单
carrier-edit = 编辑
carrier-archive = 归档
carrier-restore = 恢复
carrier-archived-note = 该载体已归档，不计入全市统计。归档不会删除任何记录，可随时恢复。
carrier-back = 返回载体名录
carrier-new-title = 登记新载体
carrier-edit-title = 编辑载体信息
carrier-save = 保存
carrier-saving = 正在保存…
carrier-cancel = 取消
carrier-form-errors = 提交的信息有 { $count } 处问题，请按提示修改后再保存。
carrier-section-basic = 基本信息
carrier-section-operation = 运营信息
carrier-section-contact = 联系方式

## 载体类型
kind-incubator = 科技企业孵化器
kind-maker-space = 众创空间
kind-accelerator = 加速器
kind-university-science-park = 大学科技园

## 认定级别
level-national = 国家级
level-provincial = 省级
level-municipal = 市级
level-none = 未认定

## 运营模式
model-landlord = 房东型
model-landlord-shareholder = 房东+股东

## 重点产业
industry-new-generation-it = 新一代信息技术
industry-high-end-equipment = 高端装备制造
industry-new-materials = 新材料
industry-biomedicine = 生物医药
industry-new-energy = 新能源
industry-new-energy-vehicles = 新能源汽车
industry-energy-saving-environmental = 节能环保
industry-digital-creative = 数字创意
industry-modern-agriculture = 现代农业
industry-modern-services = 现代服务业
industry-other = 其他

## 区县类型
district-kind-district = 市辖区
district-kind-county = 县
district-kind-zone = 功能区

## 输入问题
problem-required = 此项为必填项。
problem-too-short = 至少需要 { $min } 个字符。
problem-too-long = 不能超过 { $max } 个字符。
problem-not-a-choice = 请从列表中选择。
problem-not-a-number = 请填写整数。
problem-year-out-of-range = 年份应在 { $min } 年至 { $max } 年之间。
problem-year-before-opening = 认定年份不能早于启用年份。
problem-year-without-level = 未获认定的载体不填写认定年份。
problem-not-a-date = 请按“年-月-日”格式填写真实存在的日期。
problem-date-in-future = 日期不能晚于今天。
problem-date-too-early = 日期不能早于 { $min }。
problem-invalid-phone = 请填写有效的手机号，或带区号的座机号码。
problem-invalid-email = 请填写有效的电子邮箱地址。
problem-none-chosen = 请至少选择一项。
problem-unknown-district = 所选区县不存在，请重新选择。
problem-name-taken = 已有同名载体登记，请核对名称。

## 错误
error-title = 出错了
error-not-found-title = 找不到该页面
error-not-found = 您要找的内容不存在，或链接有误。
error-invalid = 提交的信息有误，请按提示修改。
error-stale = 该记录已被他人修改。请刷新页面查看最新内容后再编辑，以免覆盖他人的修改。
error-bad-request = 无法识别该请求，请检查后重试。
error-internal = 服务器出现问题，已记录在案（编号 { $reference }）。请稍后再试。
error-unreachable = 无法连接服务器，请检查网络后重试。
error-home = 返回首页

## 账户与登录
nav-login = 登录
nav-register = 企业注册
nav-logout = 退出登录
nav-my-carriers = 我的载体
nav-accounts = 账户
nav-audit = 审计日志
overview-title-operator = 我运营的载体
overview-lead-operator = 您运营的孵化载体（不含已归档）。
login-title = 登录
login-submit = 登录
login-forgot = 忘记密码？请联系平台管理员获取重置链接。
login-new-startup = 初创企业还没有账户？
field-email = 电子邮箱
field-password = 密码
field-new-password = 新密码
field-confirm-password = 再次输入新密码
field-current-password = 当前密码
field-display-name = 姓名
field-startup-name = 企业名称
field-role = 角色
field-carrier = 所属载体
password-policy = 至少 12 个字符，可用中文、字母、数字和空格；请勿使用常见密码或自己的姓名、邮箱。
register-title = 初创企业注册
register-lead = 注册企业账户后，可申请入驻孵化载体并查看租约与股权信息。
register-submit = 注册
invite-title = 接受邀请
invite-lead = 邀请 { $email } 以“{ $role }”身份加入 { $place }。
invite-existing = 该邮箱已有账户。请输入该账户的密码以确认，新的角色将加入您的账户。
invite-submit = 接受邀请
reset-title = 设置新密码
reset-lead = 为账户 { $email } 设置新密码。设置后，该账户在其他设备上的登录将全部失效。
reset-submit = 保存新密码
account-title = 我的账户
account-roles = 角色
account-change-password = 修改密码
account-password-changed = 密码已修改。您在其他设备上的登录已全部失效。
accounts-title = 账户管理
accounts-list = 全部账户
accounts-invite = 邀请工作人员
accounts-invite-hint = 生成一次性邀请链接（7 天内有效），请通过安全渠道转交受邀人。
accounts-create-invitation = 生成邀请链接
accounts-no-carrier = 不适用（科技局或管理员）
accounts-link = 一次性链接
accounts-link-once = 以下链接只显示这一次，有效期至 { $expires }：
accounts-status = 状态
accounts-actions = 操作
accounts-active = 正常
accounts-pending = 待设置密码
accounts-deactivated = 已停用
accounts-reset-link = 生成密码重置链接
accounts-deactivate = 停用
accounts-activate = 启用
role-admin = 平台管理员
role-bureau = 科技局
role-operator = 载体运营方
role-startup = 在孵企业
audit-title = 审计日志
audit-found = 共 { $count } 条记录
audit-entity = 对象类型
audit-entity-carrier = 载体
audit-entity-user = 账户
audit-entity-startup = 企业
audit-entity-invitation = 邀请
audit-entity-membership = 角色
audit-actor = 操作人
audit-from = 起始日期
audit-to = 截止日期
audit-at = 时间
audit-action = 操作
audit-change = 变更内容
audit-show-values = 查看前后值
audit-before = 变更前
audit-after = 变更后
audit-carrier-link = 载体
startup-registered = 注册时间
startup-members = 成员
error-forbidden-title = 无权访问
error-unauthenticated = 请先登录。
error-forbidden = 您没有权限查看或操作此内容。
error-invalid-credentials = 邮箱或密码不正确。
error-too-many-attempts = 登录失败次数过多，请 { $minutes } 分钟后再试。
error-link-expired = 该链接无效、已使用或已过期。请联系发出链接的人重新生成。
error-cross-site = 该请求来自其他网站，已被拒绝。
problem-password-common = 该密码过于常见，容易被猜中，请换一个。
problem-password-personal = 密码不能包含您的姓名或邮箱。
problem-password-mismatch = 两次输入的密码不一致。
problem-email-taken = 该邮箱已注册。
problem-password-wrong = 密码不正确。
